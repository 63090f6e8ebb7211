/* files: stdio, the file system calls and their errno values through
 * newlib and the port (whose O_* flags, struct stat and errno numbers are
 * not Linux's: each translation is exercised here). Works in a fresh
 * directory under /tmp and removes it. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char base[64];

/* base/name, in one of four buffers so that one call may use two results. */
static char* in_base(const char* name) {
    static char paths[4][128];
    static int next;
    char* path = paths[next++ % 4];
    snprintf(path, 128, "%s/%s", base, name);
    return path;
}

static void test_stdio(void) {
    FILE* file = fopen(in_base("notes"), "w");
    CHECK(file != NULL);
    if (!file)
        return;
    CHECK(fprintf(file, "line %d\n%s %zu %lld\n", 1, "two", (size_t)3, -4LL) > 0);
    CHECK(fclose(file) == 0);

    file = fopen(in_base("notes"), "r");
    CHECK(file != NULL);
    if (!file)
        return;
    char line[64];
    CHECK(fgets(line, sizeof(line), file) && strcmp(line, "line 1\n") == 0);
    CHECK(fgets(line, sizeof(line), file) && strcmp(line, "two 3 -4\n") == 0);
    CHECK(fgets(line, sizeof(line), file) == NULL && feof(file));
    CHECK(fseek(file, 5, SEEK_SET) == 0 && fgetc(file) == '1' && ftell(file) == 6);
    CHECK(fclose(file) == 0);

    file = fopen(in_base("notes"), "a"); /* O_APPEND: translated flag */
    CHECK(file && fputs("three\n", file) >= 0 && fclose(file) == 0);
    struct stat info;
    CHECK(stat(in_base("notes"), &info) == 0);
    CHECK(S_ISREG(info.st_mode) && info.st_size == 22);

    /* O_TRUNC and O_EXCL: translated flags. */
    int fd = open(in_base("notes"), O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && fstat(fd, &info) == 0 && info.st_size == 0 && close(fd) == 0);
    CHECK_ERRNO(open(in_base("notes"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK(unlink(in_base("notes")) == 0);
}

static void test_errors(void) {
    CHECK(fopen("/no/such/file", "r") == NULL && errno == ENOENT);
    CHECK_ERRNO(open("/no/such/file", O_RDONLY), ENOENT);
    CHECK_ERRNO(open("/etc/motd/x", O_RDONLY), ENOTDIR);
    CHECK_ERRNO(open(base, O_WRONLY), EISDIR);
    CHECK_ERRNO(close(-1), EBADF);
    CHECK_ERRNO(read(12345, NULL, 1), EBADF);
    CHECK_ERRNO(mkdir(base, 0755), EEXIST);
    CHECK_ERRNO(rmdir("/no/such/dir"), ENOENT);
    CHECK_ERRNO(chdir("/etc/motd"), ENOTDIR);
    CHECK_ERRNO(lseek(0 + 1000, 0, SEEK_SET), EBADF);
    char long_name[400];
    memset(long_name, 'a', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    CHECK_ERRNO(open(long_name, O_RDONLY), ENAMETOOLONG); /* Linux 36, newlib 91 */
    CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0);
}

static void test_directories(void) {
    CHECK(mkdir(in_base("d"), 0755) == 0);
    CHECK(close(open(in_base("d/a"), O_WRONLY | O_CREAT, 0644)) == 0);
    CHECK(mkdir(in_base("d/sub"), 0755) == 0);
    CHECK_ERRNO(rmdir(in_base("d")), ENOTEMPTY); /* Linux 39, newlib 90 */

    DIR* dir = opendir(in_base("d"));
    CHECK(dir != NULL);
    int seen_a = 0, seen_sub = 0, entries = 0;
    for (struct dirent* entry; dir && (entry = readdir(dir));) {
        ++entries;
        if (strcmp(entry->d_name, "a") == 0)
            seen_a = entry->d_type == DT_REG;
        if (strcmp(entry->d_name, "sub") == 0)
            seen_sub = entry->d_type == DT_DIR;
    }
    CHECK(seen_a && seen_sub && entries >= 2);
    CHECK(dir && closedir(dir) == 0);
    CHECK(opendir(in_base("d/a")) == NULL && errno == ENOTDIR);

    char cwd[128];
    CHECK(chdir(in_base("d/sub")) == 0 && getcwd(cwd, sizeof(cwd)) != NULL);
    CHECK(strcmp(cwd, in_base("d/sub")) == 0);
    CHECK(getcwd(cwd, 2) == NULL && errno == ERANGE);
    CHECK(chdir("/") == 0);

    CHECK(rmdir(in_base("d/sub")) == 0 && unlink(in_base("d/a")) == 0);
    CHECK(rmdir(in_base("d")) == 0);
    struct stat info;
    CHECK_ERRNO(stat(in_base("d"), &info), ENOENT);
}

static void test_rename(void) {
    CHECK(close(open(in_base("r1"), O_WRONLY | O_CREAT, 0644)) == 0);
    CHECK(rename(in_base("r1"), in_base("r2")) == 0);
    struct stat info;
    CHECK_ERRNO(stat(in_base("r1"), &info), ENOENT);
    CHECK(stat(in_base("r2"), &info) == 0 && S_ISREG(info.st_mode));
    CHECK(rename(in_base("r2"), in_base("r2")) == 0); /* the same file: nothing happens */

    /* Into another directory, over an existing file. */
    CHECK(mkdir(in_base("rd"), 0755) == 0);
    FILE* file = fopen(in_base("rd/old"), "w");
    CHECK(file && fputs("old\n", file) >= 0 && fclose(file) == 0);
    CHECK(rename(in_base("r2"), in_base("rd/old")) == 0);
    CHECK(stat(in_base("rd/old"), &info) == 0 && info.st_size == 0);

    /* Directories: moved whole, never into themselves, never over files or
     * non-empty directories. */
    CHECK(mkdir(in_base("rd/sub"), 0755) == 0);
    CHECK_ERRNO(rename(in_base("rd"), in_base("rd/sub/x")), EINVAL);
    CHECK_ERRNO(rename(in_base("rd/sub"), in_base("rd/old")), ENOTDIR);
    CHECK_ERRNO(rename(in_base("rd/old"), in_base("rd/sub")), EISDIR);
    CHECK(mkdir(in_base("full"), 0755) == 0 && mkdir(in_base("full/x"), 0755) == 0);
    CHECK_ERRNO(rename(in_base("rd/sub"), in_base("full")), ENOTEMPTY);
    CHECK(rename(in_base("rd"), in_base("moved")) == 0);
    CHECK(stat(in_base("moved/sub"), &info) == 0 && S_ISDIR(info.st_mode));
    CHECK_ERRNO(rename(in_base("nothing"), in_base("x")), ENOENT);
    CHECK_ERRNO(rename(in_base("moved"), "/no/such/dir/x"), ENOENT);

    CHECK(unlink(in_base("moved/old")) == 0 && rmdir(in_base("moved/sub")) == 0);
    CHECK(rmdir(in_base("moved")) == 0);
    CHECK(rmdir(in_base("full/x")) == 0 && rmdir(in_base("full")) == 0);
}

static void test_links(void) {
    FILE* file = fopen(in_base("l1"), "w");
    CHECK(file && fputs("linked\n", file) >= 0 && fclose(file) == 0);
    CHECK(link(in_base("l1"), in_base("l2")) == 0);
    struct stat one, two;
    CHECK(stat(in_base("l1"), &one) == 0 && stat(in_base("l2"), &two) == 0);
    CHECK(one.st_ino == two.st_ino && one.st_nlink == 2 && two.st_size == 7);
    CHECK_ERRNO(link(in_base("l1"), in_base("l2")), EEXIST);
    CHECK_ERRNO(link(in_base("nothing"), in_base("l3")), ENOENT);
    CHECK(mkdir(in_base("ld"), 0755) == 0);
    CHECK_ERRNO(link(in_base("ld"), in_base("l3")), EPERM); /* no hard links to directories */
    CHECK(unlink(in_base("l1")) == 0);
    char text[16] = {0};
    file = fopen(in_base("l2"), "r"); /* the data lives on under the other name */
    CHECK(file && fgets(text, sizeof(text), file) && strcmp(text, "linked\n") == 0);
    CHECK(file && fclose(file) == 0);
    CHECK(stat(in_base("l2"), &two) == 0 && two.st_nlink == 1);
    CHECK(unlink(in_base("l2")) == 0 && rmdir(in_base("ld")) == 0);

    /* A file keeps working with links after the name in another directory
     * (the newest one) is removed. */
    CHECK(close(open(in_base("la"), O_WRONLY | O_CREAT, 0644)) == 0 &&
          mkdir(in_base("lb"), 0755) == 0);
    CHECK(link(in_base("la"), in_base("lb/x")) == 0 && unlink(in_base("lb/x")) == 0);
    CHECK(link(in_base("la"), in_base("lc")) == 0);
    CHECK(unlink(in_base("la")) == 0 && unlink(in_base("lc")) == 0 && rmdir(in_base("lb")) == 0);
}

/* A removed directory that is still the current directory takes no new
 * entries (ENOENT); the kernel keeps no pointer into it once it is freed. */
static void test_removed_cwd(void) {
    CHECK(mkdir(in_base("gone"), 0755) == 0 && chdir(in_base("gone")) == 0);
    CHECK(rmdir(in_base("gone")) == 0);
    CHECK_ERRNO(mkdir("e", 0755), ENOENT);
    CHECK_ERRNO(open("f", O_WRONLY | O_CREAT, 0644), ENOENT);
    CHECK_ERRNO(rename(".", in_base("x")), EBUSY);
    char cwd[128];
    CHECK(getcwd(cwd, sizeof(cwd)) == NULL && errno == ENOENT);
    CHECK(chdir("/") == 0);
    struct stat info;
    CHECK_ERRNO(stat(in_base("gone"), &info), ENOENT);
}

static void test_memory(void) {
    /* Many sizes, so malloc grows the heap through sbrk several times. */
    enum { count = 200 };
    char* blocks[count];
    int ok = 1;
    for (int i = 0; i < count; ++i) {
        size_t size = 16 + (size_t)i * 997;
        blocks[i] = malloc(size);
        if (!blocks[i]) {
            ok = 0;
            break;
        }
        memset(blocks[i], i, size);
    }
    for (int i = 0; ok && i < count; ++i)
        ok = blocks[i][0] == (char)i && blocks[i][16 + i * 997 - 1] == (char)i;
    CHECK(ok);
    for (int i = 0; i < count; ++i)
        free(blocks[i]);
    CHECK(malloc((size_t)1 << 46) == NULL && errno == ENOMEM);
}

int main(void) {
    snprintf(base, sizeof(base), "/tmp/libc_files.%d", (int)getpid());
    CHECK(mkdir(base, 0700) == 0);
    test_stdio();
    test_errors();
    test_directories();
    test_rename();
    test_links();
    test_removed_cwd();
    test_memory();
    CHECK(rmdir(base) == 0);
    return check_finish("libc_files");
}
