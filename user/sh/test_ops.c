/* test_ops.c: test's unary and binary operators. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell.h"
#include "test_ops.h"

static const char unary_letters[] = "bcdefghknprstuwxzGLOS";

int test_unary_known(const char* op) {
    return op[0] == '-' && op[1] && !op[2] && strchr(unary_letters, op[1]);
}

static const char* const binary_ops[] = {"=",   "!=",  "<",   ">",   "-eq", "-ne", "-lt",
                                         "-le", "-gt", "-ge", "-nt", "-ot", "-ef"};
enum { BINARY_COUNT = sizeof binary_ops / sizeof binary_ops[0] };

static int binary_index(const char* op) {
    for (int i = 0; i < BINARY_COUNT; i++)
        if (strcmp(op, binary_ops[i]) == 0)
            return i;
    return -1;
}

int test_binary_known(const char* op) {
    return binary_index(op) >= 0;
}

/* An integer as dash reads one: blanks, a sign and decimal digits, then
 * only blanks; it must fit in intmax_t. 0 after reporting. */
static int integer(const char* name, const char* text, intmax_t* value) {
    char* end;
    errno = 0;
    *value = strtoimax(text, &end, 10);
    int ok = errno == 0 && end != text && isdigit((unsigned char)end[-1]);
    while (ok && isspace((unsigned char)*end))
        end++;
    if (ok && !*end)
        return 1;
    sh_error("%s: Illegal number: %s", name, text);
    return 0;
}

/* Whether the shell's user may read (4), write (2) or execute (1) the
 * file, from its mode bits as access() would judge (without access(),
 * which Kite's C library lacks): root may read and write anything, and
 * execute what anyone may execute, and directories. Supplementary groups
 * are not consulted. */
static int permitted(const struct stat* info, unsigned bit) {
    uid_t user = geteuid();
    if (user == 0)
        return bit != 1 || (info->st_mode & 0111) || S_ISDIR(info->st_mode);
    if (info->st_uid == user)
        return (info->st_mode >> 6 & bit) != 0;
    if (info->st_gid == getegid())
        return (info->st_mode >> 3 & bit) != 0;
    return (info->st_mode & bit) != 0;
}

int test_unary(const char* name, const char* op, const char* operand) {
    char letter = op[1];
    if (letter == 'z')
        return operand[0] == '\0';
    if (letter == 'n')
        return operand[0] != '\0';
    if (letter == 't') {
        intmax_t fd;
        if (!integer(name, operand, &fd))
            return -1;
        return fd >= 0 && fd <= INT32_MAX && isatty((int)fd);
    }
    struct stat info;
    int found =
        letter == 'h' || letter == 'L' ? lstat(operand, &info) == 0 : stat(operand, &info) == 0;
    if (!found)
        return 0;
    mode_t mode = info.st_mode;
    switch (letter) {
    case 'e':
        return 1;
    case 'f':
        return S_ISREG(mode);
    case 'd':
        return S_ISDIR(mode);
    case 'b':
        return S_ISBLK(mode);
    case 'c':
        return S_ISCHR(mode);
    case 'p':
        return S_ISFIFO(mode);
    case 'S':
        return S_ISSOCK(mode);
    case 'h':
    case 'L':
        return S_ISLNK(mode);
    case 's':
        return info.st_size > 0;
    case 'u':
        return (mode & S_ISUID) != 0;
    case 'g':
        return (mode & S_ISGID) != 0;
    case 'k':
        return (mode & S_ISVTX) != 0;
    case 'r':
        return permitted(&info, 4);
    case 'w':
        return permitted(&info, 2);
    case 'x':
        return permitted(&info, 1);
    case 'O':
        return info.st_uid == geteuid();
    case 'G':
        return info.st_gid == getegid();
    }
    return 0;
}

/* -nt, -ot, -ef: both files must exist. */
static int compare_files(const char* left, int which, const char* right) {
    struct stat a, b;
    if (stat(left, &a) < 0 || stat(right, &b) < 0)
        return 0;
    if (which == 2)
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    int newer = a.st_mtim.tv_sec != b.st_mtim.tv_sec ? a.st_mtim.tv_sec > b.st_mtim.tv_sec
                                                     : a.st_mtim.tv_nsec > b.st_mtim.tv_nsec;
    int older = a.st_mtim.tv_sec != b.st_mtim.tv_sec ? a.st_mtim.tv_sec < b.st_mtim.tv_sec
                                                     : a.st_mtim.tv_nsec < b.st_mtim.tv_nsec;
    return which == 0 ? newer : older;
}

int test_binary(const char* name, const char* left, const char* op, const char* right) {
    int i = binary_index(op);
    if (i >= 0 && i < 4) {
        int order = strcmp(left, right);
        const int results[] = {order == 0, order != 0, order<0, order> 0};
        return results[i];
    }
    if (i >= 10)
        return compare_files(left, i - 10, right);
    intmax_t a, b;
    if (!integer(name, left, &a) || !integer(name, right, &b))
        return -1;
    const int results[] = {a == b, a != b, a<b, a <= b, a> b, a >= b};
    return results[i - 4];
}
