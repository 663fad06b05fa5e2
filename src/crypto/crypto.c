/* SPDX-License-Identifier: MIT */
/* One pthread_once around sodium_init for the whole process. */
#include "crypto/crypto.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* libsodium refuses to work without its RNG; that is a startup fact. */
static void
start(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "doudi: crypto: sodium_init failed\n");
        abort();
    }
}

void
crypto_wipe(void *p, size_t len)
{
    sodium_memzero(p, len);
}

void
crypto_ready(void)
{
    if (pthread_once(&once, start) != 0)
        abort();
}
