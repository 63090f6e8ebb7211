// Host tests for kernel/fs/ext2, reading: images made by the host's mke2fs
// from a directory tree (1 and 4 KiB blocks, and ext4 mounted read-only) must
// read back byte-exact: a file deep in the double indirect tree, a sparse
// file, fast and slow symlinks, a hard link, a subdirectory.
#include "ext2_test_support.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace ext2_test;
using kite::ext2::Volume;

std::string random_bytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) {
        c = static_cast<char>(rng());
    }
    return s;
}

// Writes bytes leaving holes where there are runs of 64 KiB zeros.
void write_sparse(const std::string& path, const std::string& bytes) {
    write_file(path, "");
    FILE* f = std::fopen(path.c_str(), "r+b");
    const std::string zeros(64 * 1024, '\0');
    for (size_t at = 0; at < bytes.size(); at += zeros.size()) {
        const size_t n = std::min(zeros.size(), bytes.size() - at);
        if (bytes.compare(at, n, zeros, 0, n) != 0) {
            std::fseek(f, static_cast<long>(at), SEEK_SET);
            std::fwrite(bytes.data() + at, 1, n, f);
        }
    }
    std::fclose(f);
    if (truncate(path.c_str(), static_cast<off_t>(bytes.size())) != 0) {
        ADD_FAILURE() << "truncate " << path;
    }
}

// The tree mke2fs -d copies in; the expected contents by path.
struct Tree {
    std::string root;
    std::vector<std::pair<std::string, std::string>> files;
};

Tree make_tree(const TempDir& temp) {
    Tree tree;
    tree.root = temp.path() + "/tree";
    mkdir(tree.root.c_str(), 0755);
    mkdir((tree.root + "/sub").c_str(), 0755);
    mkdir((tree.root + "/sub/deeper").c_str(), 0700);
    // 12 direct + 256 single indirect blocks at 1 KiB is 268 KiB: 700 KiB
    // reaches well into the double indirect tree.
    tree.files = {{"/small", "hello, ext2\n"},
                  {"/empty", ""},
                  {"/big", random_bytes(700 * 1024 + 123, 1)},
                  {"/sub/one", random_bytes(5000, 2)},
                  {"/sub/deeper/two", random_bytes(64 * 1024, 3)}};
    for (const auto& [path, bytes] : tree.files) {
        write_file(tree.root + path, bytes);
    }
    // Sparse: data at 0 and at 3 MiB, a hole between.
    std::string sparse = "start";
    sparse.resize(3 * 1024 * 1024, '\0');
    sparse += "end of the sparse file";
    write_file(tree.root + "/sparse", "");
    FILE* f = std::fopen((tree.root + "/sparse").c_str(), "r+b");
    std::fwrite("start", 1, 5, f);
    std::fseek(f, 3 * 1024 * 1024, SEEK_SET);
    std::fwrite("end of the sparse file", 1, 22, f);
    std::fclose(f);
    tree.files.push_back({"/sparse", sparse});
    // Islands of data between holes: many extents, so an ext4 extent tree
    // needs more than the four in the inode (depth 1).
    std::string islands;
    for (int i = 0; i < 12; ++i) {
        islands.resize(static_cast<size_t>(i) * 256 * 1024, '\0');
        islands += random_bytes(5000, 10 + static_cast<uint32_t>(i));
    }
    write_sparse(tree.root + "/islands", islands);
    tree.files.push_back({"/islands", islands});
    link((tree.root + "/small").c_str(), (tree.root + "/sub/hardlink").c_str());
    tree.files.push_back({"/sub/hardlink", "hello, ext2\n"});
    symlink("small", (tree.root + "/fast").c_str());
    symlink(std::string(100, 'x').c_str(), (tree.root + "/slow").c_str());
    return tree;
}

void check_tree(Volume& volume, const Tree& tree) {
    for (const auto& [path, bytes] : tree.files) {
        const u32 ino = resolve(volume, path);
        ASSERT_NE(ino, 0u) << path;
        EXPECT_TRUE(read_all(volume, ino) == bytes) << path << " differs";
    }
    // The hard link is one inode with two links.
    const u32 small = resolve(volume, "/small");
    EXPECT_EQ(resolve(volume, "/sub/hardlink"), small);
    EXPECT_EQ(volume.read_inode(small).value().links_count, 2);
    // The sparse file's middle is a hole.
    const u32 sparse = resolve(volume, "/sparse");
    // Two data blocks (and an indirect block or an extent tree in the inode).
    const u64 sectors = volume.sectors(volume.read_inode(sparse).value());
    EXPECT_GE(sectors, 2u * volume.block_size() / 512);
    EXPECT_LE(sectors, 5u * volume.block_size() / 512);
    auto hole = volume.map(sparse, 1024 * 1024 / volume.block_size(), false);
    ASSERT_FALSE(hole.is_error());
    EXPECT_EQ(hole.value(), 0u);
    char target[256];
    auto n = volume.readlink(resolve(volume, "/fast"), target, sizeof(target));
    ASSERT_FALSE(n.is_error());
    EXPECT_EQ(std::string(target, n.value()), "small");
    auto slow = volume.readlink(resolve(volume, "/slow"), target, sizeof(target));
    ASSERT_FALSE(slow.is_error());
    EXPECT_EQ(std::string(target, slow.value()), std::string(100, 'x'));
    // The root lists exactly what was made, with file types.
    std::vector<std::string> names;
    u64 position = 0;
    ext2::DirEntry entry;
    for (int guard = 0; guard < 100; ++guard) {
        auto more = volume.read_dir(ext2::root_ino, position, entry);
        ASSERT_FALSE(more.is_error()) << more.error().what();
        if (!more.value()) {
            break;
        }
        names.push_back(entry.name);
        if (std::string(entry.name) == "sub") {
            EXPECT_EQ(entry.file_type, ext2::ft_dir);
        }
        if (std::string(entry.name) == "fast") {
            EXPECT_EQ(entry.file_type, ext2::ft_symlink);
        }
    }
    std::sort(names.begin(), names.end());
    const std::vector<std::string> expected = {".",     "..",      "big",        "empty",
                                               "fast",  "islands", "lost+found", "slow",
                                               "small", "sparse",  "sub"};
    EXPECT_EQ(names, expected);
    const auto s = volume.statfs();
    EXPECT_EQ(s.block_size, volume.block_size());
    EXPECT_GT(s.free_blocks, 0u);
    EXPECT_LE(s.available_blocks, s.free_blocks);
    EXPECT_EQ(s.name_max, 255u);
}

void read_image_test(u32 block_size, const std::string& extra = "") {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const Tree tree = make_tree(temp);
    MemoryDevice device(
        make_image(temp, "ext2", block_size, block_size == 65536 ? 32768 : 8192, tree.root, extra));
    Volume volume(device);
    auto mounted = volume.mount({.read_only = true, .precise_clock = now_for_tests});
    ASSERT_FALSE(mounted.is_error()) << mounted.error().what();
    EXPECT_TRUE(volume.read_only());
    EXPECT_EQ(volume.read_only_reason(), nullptr);
    EXPECT_EQ(volume.block_size(), block_size);
    check_tree(volume, tree);
    EXPECT_FALSE(volume.unmount().is_error());
    EXPECT_EQ(device.bad_calls(), 0u);
}

TEST(Ext2Read, Mke2fsTreeWith1KiBBlocks) {
    read_image_test(1024);
}
TEST(Ext2Read, Mke2fsTreeWith4KiBBlocks) {
    read_image_test(4096, "-I 256");
}
TEST(Ext2Read, Mke2fsTreeWith64KiBBlocks) {
    read_image_test(65536);
}

// The islands file of an ext4 image has an extent tree of depth >= 1.
void expect_deep_extents(Volume& volume) {
    const auto inode = volume.read_inode(resolve(volume, "/islands")).value();
    EXPECT_TRUE(inode.flags & ext2::inode_flag_extents);
    ext2::ExtentHeader header;
    std::memcpy(&header, inode.block, sizeof(header));
    EXPECT_EQ(header.magic, ext2::extent_magic);
    EXPECT_GE(header.depth, 1) << "the test wants an extent tree with an index level";
}

// ext4 (extents, 64bit, flex_bg, metadata_csum): a writable mount is made
// read-only with the reason given, and extent-mapped files read back.
TEST(Ext2Read, Ext4MountsReadOnlyAndReadsExtents) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const Tree tree = make_tree(temp);
    MemoryDevice device(make_image(temp, "ext4", 4096, 16384, tree.root, "-I 256"));
    const auto before = device.image();
    Volume volume(device);
    auto mounted = volume.mount({.read_only = false, .precise_clock = now_for_tests});
    ASSERT_FALSE(mounted.is_error()) << mounted.error().what();
    EXPECT_TRUE(volume.read_only());
    ASSERT_NE(volume.read_only_reason(), nullptr);
    std::printf("ext4 mount: %s\n", volume.read_only_reason());
    check_tree(volume, tree);
    expect_deep_extents(volume);
    auto created = volume.create(ext2::root_ino, "new", ext2::mode_reg | 0644, 0, 0);
    ASSERT_TRUE(created.is_error());
    EXPECT_EQ(created.error().code(), Errno::ROFS);
    EXPECT_FALSE(volume.unmount().is_error());
    EXPECT_TRUE(device.image() == before) << "a read-only mount wrote to the disk";
}

TEST(Ext2Read, Ext4With1KiBBlocks) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const Tree tree = make_tree(temp);
    MemoryDevice device(make_image(temp, "ext4", 1024, 16384, tree.root));
    Volume volume(device);
    auto mounted = volume.mount({.read_only = true, .precise_clock = now_for_tests});
    ASSERT_FALSE(mounted.is_error()) << mounted.error().what();
    check_tree(volume, tree);
    expect_deep_extents(volume);
}

// Refusals name what is wrong.
TEST(Ext2Read, RefusesBadSuperblocksWithAReason) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const auto good = make_image(temp, "ext2", 1024, 2048, "");
    struct Case {
        size_t offset;
        std::vector<uint8_t> bytes;
        const char* expected;
    };
    const std::vector<Case> cases = {
        {1024 + 56, {0x00, 0x00}, "magic"},
        {1024 + 24, {7, 0, 0, 0}, "block size"},
        {1024 + 32, {0, 0, 0, 0}, "per group"},
        {1024 + 40, {0, 0, 0, 0}, "per group"},
        {1024 + 4, {0xFF, 0xFF, 0xFF, 0x0F}, "device"},
        {1024 + 88, {100, 0}, "inode size"},
        {1024 + 96, {0x10, 0, 0, 0}, "unsupported incompatible"},
        {1024 + 96, {0x06, 0, 0, 0}, "recovery"},
        {1024 + 20, {0, 0, 0, 0}, "first data block"},
        {2048 + 8, {0xFF, 0xFF, 0, 0}, "inode table"},
        {2048 + 0, {0x01, 0, 0, 0}, "bitmap"},
    };
    for (const auto& c : cases) {
        auto image = good;
        std::copy(c.bytes.begin(), c.bytes.end(), image.begin() + static_cast<long>(c.offset));
        MemoryDevice device(image);
        Volume volume(device);
        auto mounted = volume.mount({.read_only = false, .precise_clock = now_for_tests});
        ASSERT_TRUE(mounted.is_error()) << "offset " << c.offset;
        EXPECT_NE(std::string(mounted.error().what()).find(c.expected), std::string::npos)
            << mounted.error().what() << " (wanted " << c.expected << ")";
        EXPECT_TRUE(device.image() == image) << "a refused mount wrote";
    }
}

// Incompatible features the core cannot read are refused, by name.
TEST(Ext2Read, RefusesUnreadableFeatures) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    for (const char* features : {"-t ext4 -O inline_data", "-t ext2 -O meta_bg,^resize_inode"}) {
        std::string output;
        const std::string image = temp.path() + "/feature.img";
        ASSERT_EQ(run(std::string("/usr/sbin/mke2fs -q -F ") + features + " '" + image + "' 4096k",
                      &output),
                  0)
            << output;
        MemoryDevice device(read_image(image));
        Volume volume(device);
        auto mounted = volume.mount({.read_only = true, .precise_clock = now_for_tests});
        ASSERT_TRUE(mounted.is_error()) << features;
        EXPECT_NE(std::string(mounted.error().what()).find("unsupported"), std::string::npos)
            << mounted.error().what();
    }
}

} // namespace
