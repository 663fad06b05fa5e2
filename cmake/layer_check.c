/* SPDX-License-Identifier: MIT */
/* Linked with every object of one layer and only the layers it may use
 * (CMakeLists.txt, doudi_layer): it builds only when the layer calls
 * nothing above itself. */
int main(void);

int
main(void)
{
    return 0;
}
