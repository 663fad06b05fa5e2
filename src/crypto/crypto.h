/* SPDX-License-Identifier: MIT */
/* Start-up of the crypto libraries, once per process. */
#ifndef DD_CRYPTO_H
#define DD_CRYPTO_H

#include <stddef.h>

/* Initialises libsodium (its RNG) exactly once; aborts if it cannot, which
 * can only happen at start-up. Every function that draws random bytes or
 * hashes a password calls it first. */
void crypto_ready(void);
/* Zeroes a secret in a way the compiler may not optimise away. */
void crypto_wipe(void *p, size_t len);

#endif
