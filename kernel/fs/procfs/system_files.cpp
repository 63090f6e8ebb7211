// system_files.cpp: the files of /proc itself, in Linux's formats
// (fs/proc/meminfo.c, uptime.c, loadavg.c, stat.c, arch/x86's cpuinfo),
// and Kite's own /proc/kite/memory, and the table that lists them. Kite
// has one CPU, no swap and no page cache: their figures are 0, as Linux
// prints them for a machine without.
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_local.h"
#include "boot/boot_info.h"
#include "fs/buffer_cache.h"
#include "fs/mount_table.h"
#include "fs/mounts.h"
#include "fs/procfs/entries.h"
#include "fs/procfs/snapshot.h"
#include "fs/writeback.h"
#include "interrupts/irq.h"
#include "mm/kmalloc.h"
#include "mm/page_cache.h"
#include "mm/physical.h"
#include "proc/process.h"
#include "sched/load_average.h"
#include "sched/scheduler.h"
#include "time/clock.h"

#include <cpuid.h>

namespace kite::procfs {

namespace {

constexpr u64 frame_kib = page_size / 1024;

// One meminfo line: the name padded to 16 with its colon, the figure
// right-aligned in 8, " kB" (show_val_kb).
void meminfo_line(Text& out, const char* name, u64 kib) {
    char label[24];
    out.print("{:<16}{:8} kB\n", format_to(label, sizeof(label), "{}:", name), kib);
}

ErrorOr<void> generate_meminfo(Text& out, const Target&) {
    const physical::Stats frames = physical::stats();
    const auto heap = heap_stats();
    const u64 total = frames.managed_frames * frame_kib; // totalram_pages, as sysinfo
    const u64 free = frames.free_frames * frame_kib;
    const u64 slab = (heap.slab_frames + heap.large_frames) * frame_kib;
    const u64 reclaimable = heap.cached_slabs * frame_kib; // empty slabs the heap can give back
    meminfo_line(out, "MemTotal", total);
    meminfo_line(out, "MemFree", free);
    // Page-cache pages that can be read again (a disk file's) count as
    // available, as Linux's estimate does; tmpfs pages (Shmem) do not.
    const u64 cached = PageCache::pages_of_all() * frame_kib;
    const u64 shmem = PageCache::storage_pages_of_all() * frame_kib;
    meminfo_line(out, "MemAvailable", free + reclaimable + (cached - min(cached, shmem)));
    meminfo_line(out, "Buffers", BufferCache::pages_of_all() * frame_kib);
    meminfo_line(out, "Cached", cached); // tmpfs too, as Linux
    meminfo_line(out, "SwapCached", 0);
    meminfo_line(out, "SwapTotal", 0);
    meminfo_line(out, "SwapFree", 0);
    meminfo_line(out, "Shmem", shmem);
    meminfo_line(out, "Slab", slab);
    meminfo_line(out, "SReclaimable", reclaimable);
    meminfo_line(out, "SUnreclaim", slab - min(slab, reclaimable));
    return {};
}

// Hundredths of a second as "S.HH".
void print_centiseconds(Text& out, u64 centiseconds) {
    out.print("{}.{:02}", centiseconds / 100, centiseconds % 100);
}

ErrorOr<void> generate_uptime(Text& out, const Target&) {
    const Scheduler::Stats stats = Scheduler::stats();
    print_centiseconds(out, clock::monotonic_ns() / 10'000'000);
    out.write(" ");
    print_centiseconds(out, to_clock_ticks(stats.idle_ticks));
    out.write("\n");
    return {};
}

ErrorOr<void> generate_loadavg(Text& out, const Target&) {
    const load_average::Averages averages = load_average::averages();
    const Scheduler::Stats stats = Scheduler::stats();
    for (usize i = 0; i < 3; ++i) {
        // Rounded to hundredths as Linux does (get_avenrun's FIXED_1/200).
        const u64 value = averages.fixed[i] + load_average::fixed_one / 200;
        const u64 whole = value >> load_average::fraction_bits;
        const u64 hundredths =
            ((value & (load_average::fixed_one - 1)) * 100) >> load_average::fraction_bits;
        out.print("{}.{:02} ", whole, hundredths);
    }
    out.print("{}/{} {}\n", stats.runnable, stats.threads, next_pid - 1);
    return {};
}

ErrorOr<void> generate_stat(Text& out, const Target&) {
    const Scheduler::Stats stats = Scheduler::stats();
    const u64 user = to_clock_ticks(stats.user_ticks);
    const u64 system = to_clock_ticks(stats.system_ticks);
    const u64 idle = to_clock_ticks(stats.idle_ticks);
    out.print("cpu  {} 0 {} {} 0 0 0 0 0 0\n", user, system, idle);
    for (u32 id = 0; id < cpu_local::online(); ++id) {
        const Scheduler::CpuTicks ticks = Scheduler::cpu_ticks(id);
        out.print("cpu{} {} 0 {} {} 0 0 0 0 0 0\n", id, to_clock_ticks(ticks.user),
                  to_clock_ticks(ticks.system), to_clock_ticks(ticks.idle));
    }
    u64 interrupts = irq::spurious_count();
    for (u8 line = 0; line < irq::line_count; ++line) {
        interrupts += irq::count(line);
    }
    out.print("intr {}", interrupts);
    for (u8 line = 0; line < irq::line_count; ++line) {
        out.print(" {}", irq::count(line));
    }
    const i64 boot_seconds =
        (clock::realtime_ns() - static_cast<i64>(clock::monotonic_ns())) / 1'000'000'000;
    out.print("\nctxt {}\nbtime {}\nprocesses {}\nprocs_running {}\nprocs_blocked {}\n",
              stats.switches, boot_seconds, next_pid - 1, stats.runnable, stats.uninterruptible);
    out.print("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
    return {};
}

// /proc/cpuinfo from CPUID, with Linux's names for the feature flags it
// prints first (arch/x86/include/asm/cpufeatures.h).
struct Flag {
    u8 bit;
    const char* name;
};
constexpr Flag edx1_flags[] = {
    {0, "fpu"},  {1, "vme"},   {2, "de"},    {3, "pse"},   {4, "tsc"},    {5, "msr"},
    {6, "pae"},  {7, "mce"},   {8, "cx8"},   {9, "apic"},  {11, "sep"},   {12, "mtrr"},
    {13, "pge"}, {14, "mca"},  {15, "cmov"}, {16, "pat"},  {17, "pse36"}, {19, "clflush"},
    {23, "mmx"}, {24, "fxsr"}, {25, "sse"},  {26, "sse2"}, {28, "ht"},
};
constexpr Flag ecx1_flags[] = {
    {0, "pni"},     {1, "pclmulqdq"}, {9, "ssse3"},  {12, "fma"},    {13, "cx16"},
    {19, "sse4_1"}, {20, "sse4_2"},   {22, "movbe"}, {23, "popcnt"}, {25, "aes"},
    {26, "xsave"},  {28, "avx"},      {29, "f16c"},  {30, "rdrand"}, {31, "hypervisor"},
};
constexpr Flag edx_ext_flags[] = {
    {11, "syscall"}, {20, "nx"}, {26, "pdpe1gb"}, {27, "rdtscp"}, {29, "lm"},
};
constexpr Flag ebx7_flags[] = {
    {0, "fsgsbase"}, {3, "bmi1"},    {5, "avx2"}, {7, "smep"},
    {8, "bmi2"},     {18, "rdseed"}, {19, "adx"}, {20, "smap"},
};

template <usize N>
void print_flags(Text& out, u32 reg, const Flag (&flags)[N]) {
    for (const Flag& flag : flags) {
        if (reg & (u32{1} << flag.bit)) {
            out.print(" {}", flag.name);
        }
    }
}

ErrorOr<void> generate_cpuinfo(Text& out, const Target&) {
    u32 a = 0, b = 0, c = 0, d = 0;
    __get_cpuid(0, &a, &b, &c, &d);
    const u32 max_leaf = a;
    char vendor[13] = {};
    __builtin_memcpy(vendor, &b, 4);
    __builtin_memcpy(vendor + 4, &d, 4);
    __builtin_memcpy(vendor + 8, &c, 4);
    u32 eax1 = 0, ebx1 = 0, ecx1 = 0, edx1 = 0;
    __get_cpuid(1, &eax1, &ebx1, &ecx1, &edx1);
    u32 family = (eax1 >> 8) & 0xf;
    u32 model = (eax1 >> 4) & 0xf;
    if (family == 0xf) {
        family += (eax1 >> 20) & 0xff;
    }
    if (family >= 6) {
        model |= ((eax1 >> 16) & 0xf) << 4;
    }
    char model_name[49] = {};
    u32 max_extended = 0, unused = 0;
    __get_cpuid(0x80000000, &max_extended, &unused, &unused, &unused);
    u32 ext_ecx = 0, ext_edx = 0;
    if (max_extended >= 0x80000001) {
        __get_cpuid(0x80000001, &unused, &unused, &ext_ecx, &ext_edx);
    }
    if (max_extended >= 0x80000004) {
        for (u32 leaf = 0; leaf < 3; ++leaf) {
            u32 r[4];
            __get_cpuid(0x80000002 + leaf, &r[0], &r[1], &r[2], &r[3]);
            __builtin_memcpy(model_name + 16 * leaf, r, 16);
        }
    }
    StringView name(model_name);
    while (!name.is_empty() && name[0] == ' ') {
        name = name.substring(1);
    }
    const u64 khz = clock::tsc_hz() / 1000;
    // One block per online CPU, as Linux prints them: every CPU here is
    // the same model (CPUID is read on this one), a core of its own.
    const u32 online = cpu_local::online();
    for (u32 id = 0; id < online; ++id) {
        const u32 apic_id = cpu_local::of(id).apic_id;
        out.print("processor\t: {}\nvendor_id\t: {}\ncpu family\t: {}\nmodel\t\t: {}\n", id, vendor,
                  family, model);
        out.print("model name\t: {}\nstepping\t: {}\ncpu MHz\t\t: {}.{:03}\n", name, eax1 & 0xf,
                  khz / 1000, khz % 1000);
        out.print("physical id\t: 0\nsiblings\t: {}\ncore id\t\t: {}\ncpu cores\t: {}\n"
                  "apicid\t\t: {}\ninitial apicid\t: {}\nfpu\t\t: yes\nfpu_exception\t: yes\n"
                  "cpuid level\t: {}\nwp\t\t: yes\nflags\t\t:",
                  online, id, online, apic_id, apic_id, max_leaf);
        print_flags(out, edx1, edx1_flags);
        print_flags(out, ext_edx, edx_ext_flags);
        print_flags(out, ecx1, ecx1_flags);
        if (max_leaf >= 7) {
            u32 ebx7 = 0;
            __get_cpuid_count(7, 0, &unused, &ebx7, &unused, &unused);
            print_flags(out, ebx7, ebx7_flags);
        }
        const u64 bogomips_centi = 2 * khz / 10; // Linux: twice the TSC rate, in MHz
        out.print("\nbogomips\t: {}.{:02}\nclflush size\t: {}\ncache_alignment\t: {}\n",
                  bogomips_centi / 100, bogomips_centi % 100, ((ebx1 >> 8) & 0xff) * 8,
                  ((ebx1 >> 8) & 0xff) * 8);
        u32 address_sizes = 0;
        if (max_extended >= 0x80000008) {
            __get_cpuid(0x80000008, &address_sizes, &unused, &unused, &unused);
        }
        out.print("address sizes\t: {} bits physical, {} bits virtual\npower management:\n\n",
                  address_sizes & 0xff, (address_sizes >> 8) & 0xff);
    }
    return {};
}

ErrorOr<void> generate_version(Text& out, const Target&) {
    out.print("Kite version {} (kite@kite) (clang, C++20) #1\n", KITE_VERSION);
    return {};
}

// Kite's own figures for leak checks from user space: the same numbers
// as before some work mean the same memory in use. Cached empty slabs are
// given back first, so that they do not count.
ErrorOr<void> generate_kite_memory(Text& out, const Target&) {
    Scheduler::wait_for_exiting_threads(); // their stacks, freed on their CPUs
    writeback::drop_caches();              // a disk's cache is not memory taken
    heap_release_cached();
    const auto heap = heap_stats();
    out.print("free_frames {} heap_objects {} heap_bytes {}\n", physical::stats().free_frames,
              heap.live_objects, heap.live_bytes);
    return {};
}

ErrorOr<void> generate_filesystems(Text& out, const Target&) {
    out.write(mount_table::filesystems_text());
    return {};
}

const Entry kite_entries[] = {
    {.name = "memory", .mode = 0444, .generate = generate_kite_memory},
};

} // namespace

// /proc/mounts and /proc/PID/mounts: every process sees the same mounts.
// /proc/cmdline: the kernel's command line, as the boot loader gave it.
ErrorOr<void> generate_cmdline(Text& out, const Target&) {
    out.print("{}\n", kernel_command_line());
    return {};
}

ErrorOr<void> generate_mounts(Text& out, const Target&) {
    mounts::write_mounts(out);
    return {};
}

// /proc's own files, in the order listings show them. Other parts of the
// kernel add theirs here, one line each (/proc/mounts, /proc/sys/...).
const Entry system_entries[] = {
    {.name = "bus", .mode = 0555, .children = bus_entries, .child_count = bus_entry_count},
    {.name = "cmdline", .mode = 0444, .generate = generate_cmdline},
    {.name = "cpuinfo", .mode = 0444, .generate = generate_cpuinfo},
    {.name = "filesystems", .mode = 0444, .generate = generate_filesystems},
    directory_entry("kite", kite_entries),
    {.name = "loadavg", .mode = 0444, .generate = generate_loadavg},
    {.name = "meminfo", .mode = 0444, .generate = generate_meminfo},
    {.name = "mounts", .mode = 0444, .generate = generate_mounts},
    {.name = "stat", .mode = 0444, .generate = generate_stat},
    {.name = "sys", .mode = 0555, .children = sys_entries, .child_count = sys_entry_count},
    {.name = "uptime", .mode = 0444, .generate = generate_uptime},
    {.name = "version", .mode = 0444, .generate = generate_version},
};
const usize system_entry_count = sizeof(system_entries) / sizeof(system_entries[0]);

} // namespace kite::procfs
