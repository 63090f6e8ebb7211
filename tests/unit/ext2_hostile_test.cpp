// Host tests for kernel/fs/ext2, hostile images: a valid image with bytes
// flipped in its superblock, group descriptors, inode tables, directory and
// indirect blocks (fixed seed) must be refused or read (and written a
// little), never crash, trip the sanitizers or hang.
#include "ext2_test_support.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace ext2_test;
using kite::ext2::Volume;

struct Region {
    size_t start, length;
};

// Reads everything reachable, with every loop bounded.
void walk(Volume& volume, u32 dir, int depth, int& budget, std::vector<uint8_t>& scratch) {
    u64 position = 0;
    ext2::DirEntry entry;
    while (budget-- > 0) {
        auto more = volume.read_dir(dir, position, entry);
        if (more.is_error() || !more.value()) {
            return;
        }
        const std::string name = entry.name;
        if (name == "." || name == "..") {
            continue;
        }
        (void)volume.lookup(dir, entry.name_view());
        auto inode = volume.read_inode(entry.inode);
        if (inode.is_error()) {
            continue;
        }
        if (ext2::is_dir(inode.value()) && depth < 6) {
            walk(volume, entry.inode, depth + 1, budget, scratch);
        } else if (ext2::is_symlink(inode.value())) {
            char target[4096];
            (void)volume.readlink(entry.inode, target, sizeof(target));
        } else {
            (void)volume.read(entry.inode, 0, scratch.data(), scratch.size());
            (void)volume.read(entry.inode, 300000, scratch.data(), 5000);
        }
    }
}

void scribble(Volume& volume) {
    auto ino = volume.create(ext2::root_ino, "new", ext2::mode_reg | 0644, 0, 0);
    if (!ino.is_error()) {
        std::vector<uint8_t> data(20000, 0x5A);
        (void)volume.write(ino.value(), 0, data.data(), data.size());
        (void)volume.truncate(ino.value(), 3000);
        (void)volume.rename(ext2::root_ino, "new", ext2::root_ino, "renamed");
        auto gone = volume.unlink(ext2::root_ino, "renamed");
        if (!gone.is_error() && gone.value().inode) {
            (void)volume.evict(gone.value().inode);
        }
    }
    if (!volume.mkdir(ext2::root_ino, "newdir", 0755, 0, 0).is_error()) {
        (void)volume.rename(ext2::root_ino, "newdir", ext2::root_ino, "sub");
        auto gone = volume.rmdir(ext2::root_ino, "newdir");
        if (!gone.is_error() && gone.value().inode) {
            (void)volume.evict(gone.value().inode);
        }
    }
    auto sub = volume.lookup(ext2::root_ino, "sub");
    if (!sub.is_error()) {
        (void)volume.rename(sub.value(), "one", ext2::root_ino, "moved");
    }
}

TEST(Ext2Hostile, MutatedImagesAreRefusedOrRead) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const std::string tree = temp.path() + "/tree";
    mkdir(tree.c_str(), 0755);
    mkdir((tree + "/sub").c_str(), 0755);
    mkdir((tree + "/sub/deeper").c_str(), 0755);
    write_file(tree + "/small", "small file");
    write_file(tree + "/indirect", std::string(40 * 1024, 'i'));
    write_file(tree + "/sub/one", std::string(3000, '1'));
    write_file(tree + "/sub/deeper/two", "two");
    symlink("small", (tree + "/fast").c_str());
    symlink(std::string(80, 's').c_str(), (tree + "/slow").c_str());
    // Two groups of 512 blocks, 128-byte inodes: small, so each round is fast.
    const auto base = make_image(temp, "ext2", 1024, 1024, tree, "-g 512 -I 128 -N 64");

    // The regions worth hitting, found by a clean mount.
    std::vector<Region> regions = {{1024, 1024}, {2048, 1024}};
    {
        MemoryDevice device(base);
        Volume volume(device);
        ASSERT_FALSE(volume.mount({.read_only = true, .precise_clock = now_for_tests}).is_error());
        for (u32 g = 0; g < 2; ++g) {
            ext2::GroupDescriptor d;
            std::memcpy(&d, base.data() + 2048 + g * 32, sizeof(d));
            regions.push_back({d.inode_table * 1024ul, 32 * 128});
            regions.push_back({d.block_bitmap * 1024ul, 64});
            regions.push_back({d.inode_bitmap * 1024ul, 8});
        }
        for (const char* path : {"/", "/sub", "/sub/deeper", "/indirect", "/slow"}) {
            const u32 ino = resolve(volume, path);
            ASSERT_NE(ino, 0u) << path;
            const auto inode = volume.read_inode(ino).value();
            for (u32 slot : {0u, ext2::indirect_slot}) {
                if (inode.block[slot]) {
                    regions.push_back({inode.block[slot] * 1024ul, 1024});
                }
            }
        }
    }
    std::mt19937 rng(20261202);
    std::vector<uint8_t> scratch(64 * 1024);
    int mounted = 0, refused = 0;
    // One device, its image restored each round (fresh 1 MiB copies would
    // spend the time in page faults).
    MemoryDevice device(base);
    for (int round = 0; round < 3000; ++round) {
        auto& image = device.image();
        std::copy(base.begin(), base.end(), image.begin());
        const int flips = 1 + static_cast<int>(rng() % 6);
        for (int i = 0; i < flips; ++i) {
            const Region& r = regions[rng() % regions.size()];
            const size_t at = r.start + rng() % r.length;
            if (rng() % 4 == 0) {
                image[at] = static_cast<uint8_t>(rng()); // any value
            } else {
                image[at] ^= static_cast<uint8_t>(1u << (rng() % 8)); // one bit
            }
        }
        Volume volume(device);
        const bool read_only = round % 2 == 0;
        auto result = volume.mount({.read_only = read_only, .precise_clock = now_for_tests});
        if (result.is_error()) {
            ++refused;
            ASSERT_NE(std::string(result.error().what()), "");
            continue;
        }
        ++mounted;
        int budget = 2000;
        walk(volume, ext2::root_ino, 0, budget, scratch);
        if (!read_only) {
            scribble(volume);
            walk(volume, ext2::root_ino, 0, budget, scratch);
        }
        (void)volume.unmount();
        ASSERT_EQ(device.bad_calls(), 0u) << "round " << round;
    }
    std::printf("ext2 mutations: %d mounted, %d refused\n", mounted, refused);
    EXPECT_GT(mounted, 0);
    EXPECT_GT(refused, 0);
}

// The ext4 reading path (64-byte descriptors, flex_bg, extent trees with an
// index level) under the same treatment, read-only.
TEST(Ext2Hostile, MutatedExt4ImagesAreRefusedOrRead) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const std::string tree = temp.path() + "/tree";
    mkdir(tree.c_str(), 0755);
    mkdir((tree + "/sub").c_str(), 0755);
    write_file(tree + "/small", "small file");
    write_file(tree + "/sub/one", std::string(3000, '1'));
    // Twelve islands of data: more extents than the inode holds.
    write_file(tree + "/islands", "");
    FILE* f = std::fopen((tree + "/islands").c_str(), "r+b");
    for (int i = 0; i < 12; ++i) {
        std::fseek(f, i * 128 * 1024, SEEK_SET);
        std::fwrite(std::string(3000, static_cast<char>('a' + i)).data(), 1, 3000, f);
    }
    std::fclose(f);
    const auto base = make_image(temp, "ext4", 1024, 4096, tree, "-I 256 -N 64");

    std::vector<Region> regions = {{1024, 1024}, {2048, 1024}};
    {
        MemoryDevice device(base);
        Volume volume(device);
        ASSERT_FALSE(volume.mount({.read_only = true, .precise_clock = now_for_tests}).is_error());
        ext2::GroupDescriptor d;
        std::memcpy(&d, base.data() + 2048, sizeof(d));
        regions.push_back({d.inode_table * 1024ul, 16 * 256});
        const u32 islands = resolve(volume, "/islands");
        ASSERT_NE(islands, 0u);
        const u32 group_inodes = volume.superblock().inodes_per_group;
        regions.push_back({d.inode_table * 1024ul + (islands - 1) % group_inodes * 256, 256});
        const auto inode = volume.read_inode(islands).value();
        ext2::ExtentHeader header;
        std::memcpy(&header, inode.block, sizeof(header));
        ASSERT_GE(header.depth, 1);
        ext2::ExtentIndex index;
        std::memcpy(&index, reinterpret_cast<const u8*>(inode.block) + 12, sizeof(index));
        regions.push_back({index.leaf_lo * 1024ul, 1024});
        for (const char* path : {"/", "/sub"}) {
            auto block = volume.map(resolve(volume, path), 0, false);
            ASSERT_FALSE(block.is_error());
            regions.push_back({block.value() * 1024ul, 1024});
        }
    }
    std::mt19937 rng(4);
    std::vector<uint8_t> scratch(64 * 1024);
    MemoryDevice device(base);
    int mounted = 0, refused = 0;
    for (int round = 0; round < 1500; ++round) {
        auto& image = device.image();
        std::copy(base.begin(), base.end(), image.begin());
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) {
            const Region& r = regions[rng() % regions.size()];
            const size_t at = r.start + rng() % r.length;
            image[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
        }
        Volume volume(device);
        auto result = volume.mount({.read_only = round % 2 == 0, .precise_clock = now_for_tests});
        if (result.is_error()) {
            ++refused;
            continue;
        }
        ++mounted;
        EXPECT_TRUE(volume.read_only());
        int budget = 1000;
        walk(volume, ext2::root_ino, 0, budget, scratch);
        (void)volume.unmount();
        ASSERT_TRUE(device.image() == image) << "a read-only mount wrote";
        ASSERT_EQ(device.bad_calls(), 0u) << "round " << round;
    }
    std::printf("ext4 mutations: %d mounted, %d refused\n", mounted, refused);
    EXPECT_GT(mounted, 0);
    EXPECT_GT(refused, 0);
}

} // namespace
