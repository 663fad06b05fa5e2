/* SPDX-License-Identifier: MIT */
/* Creating and reading the data key file. */
#include "crypto/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "crypto/sm3.h"

enum dd_status
keyfile_read(const char *path, unsigned char key[KEYFILE_KEY_LEN])
{
    struct stat sb;
    char hex[2 * KEYFILE_KEY_LEN + 2];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? DD_ENOTFOUND : DD_EINVAL;
    enum dd_status rc = DD_EINVAL;
    if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) != 0)
        goto out;
    ssize_t n = read(fd, hex, sizeof(hex));
    if (n < 2 * KEYFILE_KEY_LEN)
        goto out;
    size_t bin_len = 0;
    if (sodium_hex2bin(key, KEYFILE_KEY_LEN, hex, 2 * KEYFILE_KEY_LEN, NULL,
                       &bin_len, NULL) == 0 &&
        bin_len == KEYFILE_KEY_LEN)
        rc = DD_OK;
out:
    sodium_memzero(hex, sizeof(hex));
    close(fd);
    return rc;
}

enum dd_status
keyfile_ensure(const char *path, int *created)
{
    unsigned char key[KEYFILE_KEY_LEN];
    char hex[2 * KEYFILE_KEY_LEN + 2];
    *created = 0;
    enum dd_status rc = keyfile_read(path, key);
    sodium_memzero(key, sizeof(key));
    if (rc != DD_ENOTFOUND)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return DD_EINVAL;
    crypto_ready();
    randombytes_buf(key, sizeof(key));
    hex_encode(key, sizeof(key), hex);
    hex[2 * KEYFILE_KEY_LEN] = '\n';
    rc = write(fd, hex, 2 * KEYFILE_KEY_LEN + 1) == 2 * KEYFILE_KEY_LEN + 1 &&
                 fsync(fd) == 0
             ? DD_OK
             : DD_EINVAL;
    close(fd);
    sodium_memzero(key, sizeof(key));
    sodium_memzero(hex, sizeof(hex));
    if (rc == DD_OK)
        *created = 1;
    else
        unlink(path);
    return rc;
}
