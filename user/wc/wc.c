/* wc: counts lines, words and bytes; -l -w -c choose which. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show_lines, show_words, show_bytes;

static void print(long lines, long words, long bytes, const char* name) {
    if (show_lines)
        printf("%7ld ", lines);
    if (show_words)
        printf("%7ld ", words);
    if (show_bytes)
        printf("%7ld ", bytes);
    printf("%s\n", name ? name : "");
}

int main(int argc, char** argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; ++i) {
        for (const char* o = argv[i] + 1; *o; ++o) {
            if (*o == 'l')
                show_lines = 1;
            else if (*o == 'w')
                show_words = 1;
            else if (*o == 'c')
                show_bytes = 1;
            else {
                fprintf(stderr, "wc: unknown option -%c\nusage: wc [-lwc] [file...]\n", *o);
                return 2;
            }
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = 1;
    int only_one_count = show_lines + show_words + show_bytes == 1;
    long total[3] = {0, 0, 0};
    int files = argc - i, status = 0;
    for (int f = 0; f < (files ? files : 1); ++f) {
        const char* name = files ? argv[i + f] : NULL;
        int fd = name ? open(name, O_RDONLY) : 0;
        if (fd < 0) {
            fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        long lines = 0, words = 0, bytes = 0;
        int in_word = 0, n;
        char buffer[4096];
        while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
            bytes += n;
            for (int k = 0; k < n; ++k) {
                lines += buffer[k] == '\n';
                if (isspace((unsigned char)buffer[k]))
                    in_word = 0;
                else if (!in_word)
                    in_word = 1, ++words;
            }
        }
        if (name)
            close(fd);
        if (only_one_count && !name) /* as coreutils: a bare number for one count of stdin */
            printf("%ld\n", show_lines ? lines : show_words ? words : bytes);
        else
            print(lines, words, bytes, name);
        total[0] += lines, total[1] += words, total[2] += bytes;
    }
    if (files > 1)
        print(total[0], total[1], total[2], "total");
    return status;
}
