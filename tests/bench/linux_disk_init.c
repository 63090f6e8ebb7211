/* linux_disk_init: /init for Debian's Linux in QEMU (../shared/peer-linux),
 * so that bench_disk runs there on a virtio disk as it does on Kite.
 * Debian builds virtio-blk and ext4 as modules and peer-linux's initramfs
 * holds only /init, so this program carries the modules and bench_disk
 * inside itself (linux_disk_blobs.S, made by tests/bench/disk_bench.py
 * with .incbin), loads the modules with init_module(2) in dependency
 * order, mounts devtmpfs and the disk's ext2 (Linux's ext4 driver) on
 * /mnt, writes bench_disk out and runs `bench_disk /mnt run /dev/vda`,
 * then unmounts and powers the machine off.
 *
 * Built on the host: gcc -static -O2 linux_disk_init.c linux_disk_blobs.S */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* From linux_disk_blobs.S: each blob is NAME_start .. NAME_end. */
#define BLOB(name) extern const char name##_start[], name##_end[];
BLOB(virtio_ring)
BLOB(virtio)
BLOB(virtio_pci_modern_dev)
BLOB(virtio_pci_legacy_dev)
BLOB(virtio_pci)
BLOB(virtio_blk)
BLOB(crc16)
BLOB(mbcache)
BLOB(crc32c_generic)
BLOB(jbd2)
BLOB(ext4)
BLOB(bench_disk)

struct module {
    const char* name;
    const char* start;
    const char* end;
};

/* Dependency order, from each module's modinfo "depends=" and "softdep=". */
static const struct module modules[] = {
#define M(name)                                                                                    \
    { #name, name##_start, name##_end }
    M(virtio_ring),
    M(virtio),
    M(virtio_pci_modern_dev),
    M(virtio_pci_legacy_dev),
    M(virtio_pci),
    M(virtio_blk),
    M(crc16),
    M(mbcache),
    M(crc32c_generic),
    M(jbd2),
    M(ext4),
#undef M
};

static void power_off(void) {
    sync();
    reboot(RB_POWER_OFF);
    for (;;) {
        pause();
    }
}

static void die(const char* what) {
    printf("linux_disk_init: FAIL: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    power_off();
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("/dev", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY) {
        die("mount devtmpfs");
    }
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; ++i) {
        const struct module* m = &modules[i];
        if (syscall(SYS_init_module, m->start, (unsigned long)(m->end - m->start), "") != 0 &&
            errno != EEXIST) {
            printf("linux_disk_init: init_module %s: %s\n", m->name, strerror(errno));
            power_off();
        }
    }
    /* The disk's node comes from the driver's probe; wait for it a little. */
    struct stat st;
    for (int i = 0; i < 500 && stat("/dev/vda", &st) != 0; ++i) {
        usleep(10000);
    }
    mkdir("/mnt", 0755);
    if (mount("/dev/vda", "/mnt", "ext2", 0, NULL) != 0) {
        die("mount /dev/vda on /mnt as ext2");
    }
    int fd = open("/bench_disk", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    size_t size = (size_t)(bench_disk_end - bench_disk_start);
    if (fd < 0 || write(fd, bench_disk_start, size) != (ssize_t)size || close(fd) != 0) {
        die("write /bench_disk");
    }
    printf("linux_disk_init: modules loaded, /dev/vda on /mnt\n");
    pid_t child = fork();
    if (child == 0) {
        char* argv[] = {"/bench_disk", "/mnt", "run", "/dev/vda", NULL};
        char* envp[] = {NULL};
        execve(argv[0], argv, envp);
        die("execve /bench_disk");
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child) {
        die("run bench_disk");
    }
    printf("linux_disk_init: bench_disk exited with status %d\n", status);
    if (umount("/mnt") != 0) {
        die("umount /mnt");
    }
    power_off();
    return 0;
}
