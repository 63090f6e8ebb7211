// devfs.cpp: see devfs.h. Device numbers are Linux's (1:3 null, 1:5 zero,
// 1:8 random, 1:9 urandom, 5:0 tty, 5:1 console).
#include "fs/devfs.h"

#include "api/constants.h"
#include "console/console.h"
#include "fs/memory_fs.h"
#include "fs/vfs.h"
#include "lib/kbuffer.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/process.h"
#include "random/random.h"
#include "time/clock.h"
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

class ZeroDevice final : public Vnode {
  public:
    ZeroDevice() : Vnode(VnodeType::CharDevice, 0666) {}
    bool is_pollable() const override { return false; } // as Linux's (epoll: EPERM)
    u64 device_number() const override { return devfs::device_number(1, 5); }
    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return to.fill_some(0, 0, length); // Linux stops at a bad page
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
        for (usize done = 0; done < length;) {
            const usize n = min(length - done, sizeof(chunk));
            TRY(from.read(done, chunk, n));
            console::write({chunk, n});
            done += n;
        }
        return length;
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

// A read of a device whose contents are a text made for that read: the
// part of it from offset, at most length bytes.
ErrorOr<usize> read_text(StringView text, u64 offset, const IoBuffer& to, usize length) {
    if (offset >= text.length()) {
        return 0;
    }
    const usize n = min<u64>(length, text.length() - offset);
    TRY(to.write(0, text.data() + offset, n));
    return n;
}

// /dev/kitestats: memory figures for leak checks from user space (Kite
// only). Reading gives "free_frames N heap_objects N heap_bytes N\n" after
// returning cached slabs, so equal numbers mean equal usage.
class StatsDevice final : public Vnode {
  public:
    StatsDevice() : Vnode(VnodeType::CharDevice, 0444) {}
    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override {
        heap_release_cached();
        const auto heap = heap_stats();
        char text[128];
        const StringView line =
            format_to(text, sizeof(text), "free_frames {} heap_objects {} heap_bytes {}\n",
                      physical::stats().free_frames, heap.live_objects, heap.live_bytes);
        return read_text(line, offset, to, length);
    }
};

// /dev/kiteps: the process list for ps (Kite only; there is no /proc).
// One line per process after a header: "PID PPID PGID SID STATE TIME NAME",
// with STATE R (running, runnable or waiting), T (stopped) or Z (zombie) and
// TIME the CPU time used (user and system) in milliseconds. The text is made afresh for
// every read, so a reader should read it whole with one large read.
class ProcessListDevice final : public Vnode {
  public:
    ProcessListDevice() : Vnode(VnodeType::CharDevice, 0444) {}
    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override {
        constexpr usize capacity = 16384;
        const KBuffer storage = TRY(KBuffer::try_create(capacity));
        char* text = storage.chars();
        usize used = format_to(text, capacity, "PID PPID PGID SID STATE TIME NAME\n").length();
        // Formatting neither sleeps nor allocates, so the list cannot change
        // under the walk.
        Process::for_each([&](Process& p) {
            if (capacity - used < 96) {
                return; // the list is cut short rather than overflowing
            }
            const Process::CpuTimes cpu = p.cpu_times_locked();
            const u64 cpu_ms =
                (cpu.user_ticks + cpu.system_ticks) * clock::tick_period_ps() / 1'000'000'000;
            const char* state = p.state() == ProcessState::Zombie ? "Z"
                                : p.is_stopped()                  ? "T"
                                                                  : "R";
            used +=
                format_to(text + used, capacity - used, "{} {} {} {} {} {} {}\n", p.pid(),
                          p.parent_pid(), p.process_group(), p.session(), state, cpu_ms, p.name())
                    .length();
        });
        return read_text(StringView(text, used), offset, to, length);
    }
};

} // namespace

ErrorOr<RefPtr<Vnode>> create_root() {
    auto root = TRY(try_make_ref<MemoryDirectory>(false, 0755));
    root->set_device(2);
    auto console_device = TRY(try_make_ref<ConsoleDevice>(device_number(5, 1)));
    auto tty_device = TRY(try_make_ref<ConsoleDevice>(device_number(5, 0)));
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
    auto stats_device = TRY(try_make_ref<StatsDevice>());
    TRY(root->add("kitestats", stats_device));
    auto process_list = TRY(try_make_ref<ProcessListDevice>());
    TRY(root->add("kiteps", process_list));
    return RefPtr<Vnode>(root);
}

RefPtr<Vnode> find_device(u64 number) {
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
        if (!device.is_error() && device.value()->type() == VnodeType::CharDevice &&
            device.value()->device_number() == number) {
            return device.release_value();
        }
    }
}

} // namespace kite::devfs
