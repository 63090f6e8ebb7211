/* uname: names the system; -a prints every field, -s -n -r -v -m one each. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char** argv) {
    struct utsname name;
    if (uname(&name) < 0) {
        perror("uname");
        return 1;
    }
    const char* fields[] = {name.sysname, name.nodename, name.release, name.version, name.machine};
    const char* letters = "snrvm";
    int wanted[5] = {0}, any = 0;
    for (int i = 1; i < argc; ++i) {
        if (argv[i][0] != '-' || !argv[i][1]) {
            fprintf(stderr, "usage: uname [-asnrvm]\n");
            return 2;
        }
        for (const char* o = argv[i] + 1; *o; ++o) {
            const char* at = strchr(letters, *o);
            if (*o == 'a') {
                for (int k = 0; k < 5; ++k)
                    wanted[k] = 1;
            } else if (at) {
                wanted[at - letters] = 1;
            } else {
                fprintf(stderr, "uname: unknown option -%c\nusage: uname [-asnrvm]\n", *o);
                return 2;
            }
            any = 1;
        }
    }
    if (!any)
        wanted[0] = 1;
    for (int k = 0, first = 1; k < 5; ++k) {
        if (wanted[k]) {
            printf("%s%s", first ? "" : " ", fields[k]);
            first = 0;
        }
    }
    printf("\n");
    return 0;
}
