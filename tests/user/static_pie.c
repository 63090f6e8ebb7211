/* static_pie: an ET_DYN (static-pie) executable, position-independent and
 * with no relocations to apply, loaded by Kite at its fixed base and by
 * Linux wherever it likes. Checks that its code and data are where the
 * auxiliary vector says. */
#include "check.h"

static const char message[] = "static-pie runs\n";

int main(int argc, char** argv, char** envp) {
    (void)argc;
    (void)argv;
    unsigned long entry = 0;
    char** p = envp;
    while (*p) {
        ++p;
    }
    for (unsigned long* aux = (unsigned long*)(p + 1); aux[0] != 0; aux += 2) {
        if (aux[0] == 9) {
            entry = aux[1];
        }
    }
    CHECK(entry != 0);
    CHECK((unsigned long)main > 0x10000);
    CHECK_EQ(sys3(SYS_write, 1, (long)message, sizeof(message) - 1), sizeof(message) - 1);
    if (on_kite()) {
        CHECK((unsigned long)main >= 0x555555554000UL); /* Kite's static-pie base */
    }
    return check_done("static_pie");
}
