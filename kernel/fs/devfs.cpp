// devfs.cpp: see devfs.h. Device numbers are Linux's (1:3 null, 1:5 zero,
// 1:8 random, 1:9 urandom, 5:0 tty, 5:1 console).
#include "fs/devfs.h"

#include "api/constants.h"
#include "console/console.h"
#include "fs/memory_fs.h"
#include "fs/vfs.h"
#include "mm/page.h"
#include "proc/signal_pending.h"
#include "random/random.h"
#include "tty/console_tty.h"

namespace kite::devfs {

namespace {

constexpr u64 device_number(u64 major, u64 minor) {
    return (major << 8) | minor;
}

class NullDevice final : public Vnode {
  public:
    NullDevice() : Vnode(VnodeType::CharDevice, 0666) {}
    bool is_pollable() const override { return false; } // as Linux's (epoll: EPERM)
    u64 device_number() const override { return devfs::device_number(1, 3); }
    ErrorOr<usize> read(u64, const IoBuffer&, usize) override { return 0; }
    ErrorOr<usize> write(u64, const IoBuffer&, usize length) override { return length; }
};

// A long read of /dev/zero: a page at a time, as Linux's read_iter_zero;
// a bad page stops it (the bytes before count), and so does a pending
// signal. Out of line, so that the one-page read stays as short as it was.
[[gnu::noinline]] ErrorOr<usize> read_zero_pages(const IoBuffer& to, usize length) {
    usize done = 0;
    while (done < length) {
        const usize chunk = min<usize>(length - done, page_size);
        auto filled = to.fill_some(done, 0, chunk);
        if (filled.is_error()) {
            if (done > 0) {
                break;
            }
            return filled.release_error();
        }
        done += filled.value();
        if (filled.value() < chunk || signal_pending()) {
            break;
        }
    }
    return done;
}

class ZeroDevice final : public Vnode {
  public:
    ZeroDevice() : Vnode(VnodeType::CharDevice, 0666) {}
    bool is_pollable() const override { return false; } // as Linux's (epoll: EPERM)
    u64 device_number() const override { return devfs::device_number(1, 5); }
    // One page is one step: nothing to stop between. (No canary: this
    // holds nothing of its own on the stack, and it is a hot path.)
    [[gnu::no_stack_protector]] ErrorOr<usize> read(u64, const IoBuffer& to,
                                                    usize length) override {
        return length <= page_size ? to.fill_some(0, 0, length) : read_zero_pages(to, length);
    }
    ErrorOr<usize> write(u64, const IoBuffer&, usize length) override { return length; }
};

// /dev/random and /dev/urandom: the same generator (random/random.h).
// The generator is seeded before the first process, so /dev/random never
// blocks, as on Linux once its generator is ready; writes are mixed in.
class RandomDevice final : public Vnode {
  public:
    explicit RandomDevice(u64 number) : Vnode(VnodeType::CharDevice, 0666), m_number(number) {}
    u64 device_number() const override { return m_number; }
    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return random::read(to, length);
    }
    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        return random::write(from, length);
    }

  private:
    u64 m_number;
};

// The console: a device node over tty/console_tty, which keeps the
// terminal's policy (line editing, job control, ioctls).
class ConsoleDevice final : public Vnode {
  public:
    explicit ConsoleDevice(u64 number) : Vnode(VnodeType::CharDevice, 0620), m_number(number) {}
    u64 device_number() const override { return m_number; }
    bool is_seekable() const override { return false; }

    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return console_tty::read(to, length);
    }
    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        char chunk[256];
        // A bad page or a pending signal stops the write; the bytes
        // before count (Linux's tty write).
        usize done = 0;
        while (done < length) {
            const usize n = min(length - done, sizeof(chunk));
            auto copied = from.read(done, chunk, n);
            if (copied.is_error()) {
                if (done > 0) {
                    break;
                }
                return copied.release_error();
            }
            console::write({chunk, n});
            done += n;
            if (signal_pending()) {
                break;
            }
        }
        return done;
    }
    ErrorOr<i64> ioctl(u64 request, UserAddress argument) override {
        return console_tty::ioctl(request, argument);
    }
    u32 poll_ready() override {
        return (console_tty::has_input() ? abi::POLLIN | abi::POLLRDNORM : 0) | abi::POLLOUT |
               abi::POLLWRNORM;
    }

  private:
    u64 m_number;
};

// The first devtmpfs made (the boot's /dev), kept for the devices drivers
// add later. Linux shares one tree among all devtmpfs mounts; Kite cannot
// mount one vnode twice, so a later mount gets a tree of its own with the
// standard nodes, and this one stays the boot's (replacing it would leave
// it held, and the later tree, here, for ever).
RefPtr<MemoryDirectory> dev_root;

} // namespace

ErrorOr<RefPtr<Vnode>> create_root() {
    auto root = TRY(try_make_ref<MemoryDirectory>(false, 0755));
    root->set_device(2);
    auto console_device = TRY(try_make_ref<ConsoleDevice>(device_number(5, 1)));
    auto tty_device = TRY(try_make_ref<ConsoleDevice>(device_number(5, 0)));
    // Where the boot mounts a tmpfs for POSIX shared memory (shm_open).
    auto shm_directory = TRY(try_make_ref<MemoryDirectory>(false, 0755));
    TRY(root->add("shm", shm_directory));
    TRY(root->add("console", console_device));
    TRY(root->add("tty", tty_device));
    auto null_device = TRY(try_make_ref<NullDevice>());
    auto zero_device = TRY(try_make_ref<ZeroDevice>());
    TRY(root->add("null", null_device));
    TRY(root->add("zero", zero_device));
    auto random_device = TRY(try_make_ref<RandomDevice>(device_number(1, 8)));
    auto urandom_device = TRY(try_make_ref<RandomDevice>(device_number(1, 9)));
    TRY(root->add("random", random_device));
    TRY(root->add("urandom", urandom_device));
    if (!dev_root) {
        dev_root = root;
    }
    return RefPtr<Vnode>(root);
}

ErrorOr<void> add_device(StringView name, RefPtr<Vnode> device) {
    device->set_device(2);
    return dev_root->add(name, move(device));
}

RefPtr<Vnode> find_device(u64 number, VnodeType type) {
    auto dev = vfs::resolve("/dev", vfs::root());
    if (dev.is_error()) {
        return {};
    }
    DirectoryEntry entry;
    for (usize i = 0;; ++i) {
        auto more = dev.value()->read_directory(i, entry);
        if (more.is_error() || !more.value()) {
            return {};
        }
        auto device = dev.value()->lookup(StringView(entry.name));
        if (!device.is_error() && device.value()->type() == type &&
            device.value()->device_number() == number) {
            return device.release_value();
        }
    }
}

} // namespace kite::devfs
