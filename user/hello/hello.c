/* hello: the smallest newlib program. */
#include <stdio.h>

int main(void) {
    printf("Hello from userspace!\n");
    return 0;
}
