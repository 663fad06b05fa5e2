/* SPDX-License-Identifier: MIT */
/* Placeholder entry point; replaced by the CLI dispatcher. */
int
main(void)
{
    return 0;
}
