// devfs.cpp: see devfs.h. Device numbers are Linux's (1:3 null, 1:5 zero,
// 5:0 tty, 5:1 console).
#include "fs/devfs.h"

#include "console/console.h"
#include "fs/memory_fs.h"
#include "mm/kmalloc.h"
#include "mm/physical.h"
#include "proc/process.h"
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
    u64 device_number() const override { return devfs::device_number(1, 3); }
    ErrorOr<usize> read(u64, const IoBuffer&, usize) override { return 0; }
    ErrorOr<usize> write(u64, const IoBuffer&, usize length) override { return length; }
};

class ZeroDevice final : public Vnode {
  public:
    ZeroDevice() : Vnode(VnodeType::CharDevice, 0666) {}
    u64 device_number() const override { return devfs::device_number(1, 5); }
    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        return to.fill_some(0, 0, length); // Linux stops at a bad page
    }
    ErrorOr<usize> write(u64, const IoBuffer&, usize length) override { return length; }
};

// Linux's terminal ioctls.
constexpr u64 TCGETS = 0x5401;
constexpr u64 TCSETS = 0x5402;
constexpr u64 TCSETSW = 0x5403;
constexpr u64 TCSETSF = 0x5404;
constexpr u64 TIOCGWINSZ = 0x5413;
constexpr u64 TIOCGPGRP = 0x540F;
constexpr u64 TIOCSPGRP = 0x5410;

struct WindowSize {
    u16 rows, columns, x_pixels, y_pixels;
};
static_assert(sizeof(WindowSize) == 8);

class ConsoleDevice final : public Vnode {
  public:
    explicit ConsoleDevice(u64 number) : Vnode(VnodeType::CharDevice, 0620), m_number(number) {}
    u64 device_number() const override { return m_number; }
    bool is_seekable() const override { return false; }

    ErrorOr<usize> read(u64, const IoBuffer& to, usize length) override {
        // A background process group that reads the terminal is stopped
        // (SIGTTIN) and reads again once continued in the foreground.
        Process* reader = Process::current();
        const i32 foreground = console_tty::foreground_group();
        if (reader && foreground != 0 && reader->process_group() != foreground) {
            Process::for_each([&](Process& p) {
                if (p.process_group() == reader->process_group()) {
                    p.send_signal(signals::TTIN);
                }
            });
            return Error(Errno::RESTARTSYS, "background read");
        }
        u8 chunk[256];
        const usize n = TRY(console_tty::read_interruptible(chunk, min(length, sizeof(chunk))));
        TRY(to.write(0, chunk, n));
        return n;
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
        switch (request) {
        case TCGETS:
            TRY(write_user(argument, console_tty::termios()));
            return 0;
        case TCSETS:
        case TCSETSW:
        case TCSETSF: {
            const Termios t = TRY(read_user<Termios>(argument));
            console_tty::set_termios(t);
            return 0;
        }
        case TIOCGWINSZ:
            TRY(write_user(argument, WindowSize{25, 80, 0, 0}));
            return 0;
        case TIOCGPGRP:
            TRY(write_user<i32>(argument, console_tty::foreground_group()));
            return 0;
        case TIOCSPGRP: {
            const i32 group = TRY(read_user<i32>(argument));
            if (group < 0) {
                return Error(Errno::INVAL, "negative process group");
            }
            bool exists = false;
            Process* caller = Process::current();
            Process::for_each([&](Process& p) {
                exists = exists ||
                         (p.process_group() == group && caller && p.session() == caller->session());
            });
            if (!exists) {
                return Error(Errno::PERM, "no such process group in this session");
            }
            console_tty::set_foreground_group(group);
            return 0;
        }
        default:
            return Error(Errno::NOTTY, "unsupported terminal ioctl");
        }
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
        auto* text = static_cast<char*>(kmalloc(capacity));
        if (!text) {
            return Error(Errno::NOMEM, "out of memory");
        }
        usize used = format_to(text, capacity, "PID PPID PGID SID STATE TIME NAME\n").length();
        // Formatting neither sleeps nor allocates, so the list cannot change
        // under the walk.
        Process::for_each([&](Process& p) {
            if (capacity - used < 96) {
                return; // the list is cut short rather than overflowing
            }
            const Process::CpuTimes cpu = p.cpu_times();
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
        auto result = read_text(StringView(text, used), offset, to, length);
        kfree(text);
        return result;
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
    auto stats_device = TRY(try_make_ref<StatsDevice>());
    TRY(root->add("kitestats", stats_device));
    auto process_list = TRY(try_make_ref<ProcessListDevice>());
    TRY(root->add("kiteps", process_list));
    return RefPtr<Vnode>(root);
}

} // namespace kite::devfs
