// resource_limits.h: a process's resource limits (getrlimit, setrlimit,
// prlimit64): a soft and a hard value for each of Linux's sixteen
// resources, with Linux's rules for changing them and the values Linux's
// init starts with. Pure bookkeeping (no locks, no processes): the
// process keeps one (Process::limits), fork copies it, exec keeps it, and
// the calls that create descriptors, processes, mappings and file bytes
// ask it. Unit-tested on the host.
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite {

// Linux's RLIMIT_* numbers (asm-generic/resource.h).
enum class Resource : u32 {
    Cpu = 0,       // seconds of CPU time (stored, not enforced yet)
    FileSize = 1,  // FSIZE: bytes a write or truncate may reach
    Data = 2,      // DATA: private writable memory, the heap included
    Stack = 3,     // STACK: the main thread's stack, fixed at exec
    Core = 4,      // CORE: stored (Kite writes no core files)
    Rss = 5,       // stored (Linux ignores it too)
    Processes = 6, // NPROC: threads of one user (root is exempt, as on Linux)
    OpenFiles = 7, // NOFILE: one more than the highest descriptor allowed
    LockedMemory = 8,
    AddressSpace = 9, // AS: all mapped memory
    FileLocks = 10,
    PendingSignals = 11,
    MessageQueues = 12,
    Nice = 13,
    RealtimePriority = 14,
    RealtimeTimeout = 15,
};
constexpr u32 resource_count = 16; // RLIM_NLIMITS

// RLIM_INFINITY (and RLIM64_INFINITY: the same on x86-64).
constexpr u64 unlimited = ~u64{0};

// Linux's sysctl fs.nr_open: no process may have a NOFILE limit above it,
// root neither.
constexpr u64 max_open_files_limit = 1024 * 1024;

// One resource's pair: struct rlimit and struct rlimit64 (the same layout
// on x86-64).
struct ResourceLimit {
    u64 soft; // rlim_cur: what is enforced
    u64 hard; // rlim_max: the ceiling for soft
};
static_assert(sizeof(ResourceLimit) == 16 && __builtin_offsetof(ResourceLimit, hard) == 8);

class ResourceLimits {
  public:
    // What Linux gives init (INIT_RLIMITS and fork_init): everything
    // unlimited but STACK (8 MiB soft), CORE (0 soft), NOFILE (1024 soft,
    // 4096 hard), MEMLOCK (8 MiB), MSGQUEUE (819200 bytes), NICE and
    // RTPRIO (0), and NPROC and SIGPENDING both max_threads / 2, where
    // Linux's max_threads is one thread per 8 kernel stacks' worth
    // (8 x 16 KiB) of RAM, at least 20: one per 32 frames, so the limit
    // is usable_frames / 64, at least 10.
    [[nodiscard]] static ResourceLimits boot_defaults(u64 usable_frames);
    // Linux's max_threads (kernel.threads-max): the most tasks (threads,
    // and zombies not reaped yet) the whole machine may have, root's too.
    [[nodiscard]] static u64 max_tasks(u64 usable_frames) {
        return usable_frames / 32 < 20 ? 20 : usable_frames / 32;
    }

    // EINVAL for a resource number Linux does not have.
    [[nodiscard]] static ErrorOr<Resource> resource_from(u64 number);

    [[nodiscard]] ResourceLimit get(Resource resource) const {
        return m_limits[static_cast<u32>(resource)];
    }
    // The soft limit: what the calls enforce.
    [[nodiscard]] u64 soft(Resource resource) const { return get(resource).soft; }

    // setrlimit's rules (Linux's do_prlimit): EINVAL if soft > hard; EPERM
    // for NOFILE above fs.nr_open, and for raising a hard limit without
    // CAP_SYS_RESOURCE (may_raise_hard: root has it).
    [[nodiscard]] ErrorOr<void> set(Resource resource, ResourceLimit limit, bool may_raise_hard);

    // NOFILE: descriptors must be below it (never above fs.nr_open).
    [[nodiscard]] u64 open_files() const { return soft(Resource::OpenFiles); }
    // The limits as the memory calls need them (mm/user_space.h).
    [[nodiscard]] u64 address_space() const { return soft(Resource::AddressSpace); }
    [[nodiscard]] u64 data() const { return soft(Resource::Data); }

  private:
    ResourceLimit m_limits[resource_count] = {};
};

} // namespace kite
