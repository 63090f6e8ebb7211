/* clear: clears the terminal (ANSI: erase display, cursor home). */
#include <stdio.h>

int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: clear\n");
        return 2;
    }
    fputs("\033[H\033[2J", stdout);
    return 0;
}
