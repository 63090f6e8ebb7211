// Host tests for kernel/proc/resource_limits.cpp: Linux's init values
// (NPROC from memory), the resource numbers, and setrlimit's rules, each
// refusal leaving the limit as it was.
#include "proc/resource_limits.h"

#include <gtest/gtest.h>

namespace {

using kite::Errno;
using kite::Resource;
using kite::ResourceLimits;
using kite::unlimited;

Errno set(ResourceLimits& limits, Resource resource, kite::u64 soft, kite::u64 hard,
          bool privileged) {
    auto result = limits.set(resource, {soft, hard}, privileged);
    return result.is_error() ? result.error().code() : Errno{};
}

TEST(ResourceLimits, BootValuesAreLinuxInits) {
    // 127 MiB: 32512 frames; Linux's max_threads is one per 32, NPROC half.
    const ResourceLimits limits = ResourceLimits::boot_defaults(32512);
    EXPECT_EQ(limits.get(Resource::OpenFiles).soft, 1024u);
    EXPECT_EQ(limits.get(Resource::OpenFiles).hard, 4096u);
    EXPECT_EQ(limits.get(Resource::Stack).soft, 8u * 1024 * 1024);
    EXPECT_EQ(limits.get(Resource::Stack).hard, unlimited);
    EXPECT_EQ(limits.get(Resource::Core).soft, 0u);
    EXPECT_EQ(limits.get(Resource::Core).hard, unlimited);
    EXPECT_EQ(limits.get(Resource::Processes).soft, 508u);
    EXPECT_EQ(limits.get(Resource::Processes).hard, 508u);
    EXPECT_EQ(limits.get(Resource::PendingSignals).soft, 508u);
    EXPECT_EQ(limits.get(Resource::AddressSpace).soft, unlimited);
    EXPECT_EQ(limits.get(Resource::Data).hard, unlimited);
    EXPECT_EQ(limits.get(Resource::Nice).hard, 0u);
    // A tiny machine still gets Linux's floor of 20 threads.
    EXPECT_EQ(ResourceLimits::boot_defaults(0).get(Resource::Processes).soft, 10u);
}

TEST(ResourceLimits, ResourceNumbers) {
    EXPECT_EQ(ResourceLimits::resource_from(7).value(), Resource::OpenFiles);
    EXPECT_EQ(ResourceLimits::resource_from(15).value(), Resource::RealtimeTimeout);
    EXPECT_EQ(ResourceLimits::resource_from(16).error().code(), Errno::INVAL);
    EXPECT_EQ(ResourceLimits::resource_from(~0ul).error().code(), Errno::INVAL);
}

TEST(ResourceLimits, SetRules) {
    ResourceLimits limits = ResourceLimits::boot_defaults(32512);
    EXPECT_EQ(set(limits, Resource::Core, 10, 5, true), Errno::INVAL);
    EXPECT_EQ(limits.get(Resource::Core).hard, unlimited);
    EXPECT_EQ(set(limits, Resource::Core, 10, 100, false), Errno{}); // lowering: anyone
    EXPECT_EQ(set(limits, Resource::Core, 10, 200, false), Errno::PERM);
    EXPECT_EQ(limits.get(Resource::Core).hard, 100u);
    EXPECT_EQ(set(limits, Resource::Core, 100, 100, false), Errno{}); // soft up to hard
    EXPECT_EQ(set(limits, Resource::Core, unlimited, unlimited, true), Errno{});
    EXPECT_EQ(set(limits, Resource::OpenFiles, 1, 1024 * 1024 + 1, true), Errno::PERM);
    EXPECT_EQ(limits.get(Resource::OpenFiles).hard, 4096u);
    EXPECT_EQ(set(limits, Resource::OpenFiles, 1, 1024 * 1024, true), Errno{});
    EXPECT_EQ(limits.open_files(), 1u);
    EXPECT_EQ(set(limits, Resource::AddressSpace, 1 << 20, unlimited, false), Errno{});
    EXPECT_EQ(limits.address_space(), 1u << 20);
}

} // namespace
