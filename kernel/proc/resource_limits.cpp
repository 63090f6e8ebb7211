// resource_limits.cpp: see resource_limits.h.
#include "proc/resource_limits.h"

namespace kite {

ResourceLimits ResourceLimits::boot_defaults(u64 usable_frames) {
    ResourceLimits limits;
    for (ResourceLimit& limit : limits.m_limits) {
        limit = {unlimited, unlimited};
    }
    const u64 max_threads = max_tasks(usable_frames);
    auto set = [&](Resource resource, u64 soft, u64 hard) {
        limits.m_limits[static_cast<u32>(resource)] = {soft, hard};
    };
    set(Resource::Stack, 8 * MiB, unlimited);
    set(Resource::Core, 0, unlimited);
    set(Resource::Processes, max_threads / 2, max_threads / 2);
    set(Resource::OpenFiles, 1024, 4096);
    set(Resource::LockedMemory, 8 * MiB, 8 * MiB);
    set(Resource::PendingSignals, max_threads / 2, max_threads / 2);
    set(Resource::MessageQueues, 819200, 819200);
    set(Resource::Nice, 0, 0);
    set(Resource::RealtimePriority, 0, 0);
    return limits;
}

ErrorOr<Resource> ResourceLimits::resource_from(u64 number) {
    if (number >= resource_count) {
        return Error(Errno::INVAL, "no such resource");
    }
    return static_cast<Resource>(number);
}

ErrorOr<void> ResourceLimits::set(Resource resource, ResourceLimit limit, bool may_raise_hard) {
    if (limit.soft > limit.hard) {
        return Error(Errno::INVAL, "soft limit above the hard limit");
    }
    if (resource == Resource::OpenFiles && limit.hard > max_open_files_limit) {
        return Error(Errno::PERM, "NOFILE above fs.nr_open");
    }
    ResourceLimit& current = m_limits[static_cast<u32>(resource)];
    if (limit.hard > current.hard && !may_raise_hard) {
        return Error(Errno::PERM, "raising a hard limit needs CAP_SYS_RESOURCE");
    }
    current = limit;
    return {};
}

} // namespace kite
