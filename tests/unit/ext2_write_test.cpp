// Host tests for kernel/fs/ext2, writing: thousands of files in a tree,
// random writes against a model, truncates, unlinks, rename storms,
// mkdir/rmdir, ENOSPC and back, a file past 4 GiB; then e2fsck -fn must find
// the image clean and debugfs must read what the core wrote.
#include "ext2_test_support.h"

#include <cstring>
#include <map>
#include <random>
#include <set>

namespace {

using namespace ext2_test;
using kite::ext2::Volume;

StringView sv(const std::string& s) {
    return StringView(s.data(), s.size());
}

std::string parent_of(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}
std::string base_of(const std::string& path) {
    return path.substr(path.rfind('/') + 1);
}

// A mounted image and the model of what it must contain.
struct Fixture {
    TempDir temp;
    MemoryDevice device;
    Volume volume;
    std::map<std::string, std::string> files; // path -> contents
    std::set<std::string> dirs;               // paths, "/" included
    std::set<std::string> symlinks;           // paths
    std::mt19937 rng{12345};

    Fixture(u32 block_size, u32 size_kib, const std::string& extra = "")
        : device(make_image(temp, "ext2", block_size, size_kib, "", extra)), volume(device) {
        auto mounted = volume.mount({.read_only = false, .precise_clock = now_for_tests});
        EXPECT_FALSE(mounted.is_error()) << mounted.error().what();
        EXPECT_FALSE(volume.read_only());
        dirs.insert("/");
        dirs.insert("/lost+found");
    }

    u32 dir_ino(const std::string& path) {
        return path == "/" ? ext2::root_ino : resolve(volume, path);
    }

    void mkdir(const std::string& path) {
        auto made = volume.mkdir(dir_ino(parent_of(path)), sv(base_of(path)), 0755, 1000, 1000);
        ASSERT_FALSE(made.is_error()) << path << ": " << made.error().what();
        dirs.insert(path);
    }

    void create(const std::string& path, const std::string& bytes) {
        auto made = volume.create(dir_ino(parent_of(path)), sv(base_of(path)),
                                  ext2::mode_reg | 0644, 1000, 70000);
        ASSERT_FALSE(made.is_error()) << path << ": " << made.error().what();
        auto n =
            volume.write(made.value(), 0, reinterpret_cast<const u8*>(bytes.data()), bytes.size());
        ASSERT_FALSE(n.is_error()) << path << ": " << n.error().what();
        ASSERT_EQ(n.value(), bytes.size());
        files[path] = bytes;
    }

    void write_at(const std::string& path, u64 offset, const std::string& bytes) {
        const u32 ino = resolve(volume, path);
        ASSERT_NE(ino, 0u);
        auto n = volume.write(ino, offset, reinterpret_cast<const u8*>(bytes.data()), bytes.size());
        ASSERT_FALSE(n.is_error()) << path << ": " << n.error().what();
        std::string& model = files[path];
        if (model.size() < offset + bytes.size()) {
            model.resize(offset + bytes.size(), '\0');
        }
        model.replace(offset, bytes.size(), bytes);
    }

    void truncate(const std::string& path, u64 size) {
        auto done = volume.truncate(resolve(volume, path), size);
        ASSERT_FALSE(done.is_error()) << path << ": " << done.error().what();
        files[path].resize(size, '\0');
    }

    void unlink(const std::string& path) {
        auto gone = volume.unlink(dir_ino(parent_of(path)), sv(base_of(path)));
        ASSERT_FALSE(gone.is_error()) << path << ": " << gone.error().what();
        if (gone.value().inode) {
            ASSERT_FALSE(volume.evict(gone.value().inode).is_error());
        }
        files.erase(path);
    }

    std::string random_text(size_t n) {
        std::string s(n, '\0');
        for (auto& c : s) {
            c = static_cast<char>('a' + rng() % 26);
        }
        return s;
    }

    // Every modelled file and directory is there with its contents, and
    // every directory lists exactly the model.
    void verify() {
        for (const auto& [path, bytes] : files) {
            const u32 ino = resolve(volume, path);
            ASSERT_NE(ino, 0u) << path;
            ASSERT_TRUE(read_all(volume, ino) == bytes) << path << " differs";
        }
        for (const auto& dir : dirs) {
            const u32 ino = dir_ino(dir);
            ASSERT_NE(ino, 0u) << dir;
            std::set<std::string> listed, expected;
            u64 position = 0;
            ext2::DirEntry entry;
            for (;;) {
                auto more = volume.read_dir(ino, position, entry);
                ASSERT_FALSE(more.is_error()) << more.error().what();
                if (!more.value()) {
                    break;
                }
                const std::string name = entry.name;
                if (name != "." && name != "..") {
                    listed.insert(name);
                }
            }
            const std::string prefix = dir == "/" ? "/" : dir + "/";
            for (const auto& [path, bytes] : files) {
                if (parent_of(path) == dir) {
                    expected.insert(base_of(path));
                }
            }
            for (const auto& l : symlinks) {
                if (parent_of(l) == dir) {
                    expected.insert(base_of(l));
                }
            }
            for (const auto& d : dirs) {
                if (d != "/" && parent_of(d) == dir) {
                    expected.insert(base_of(d));
                }
            }
            ASSERT_EQ(listed, expected) << dir;
        }
    }

    void unmount_and_fsck() {
        ASSERT_FALSE(volume.unmount().is_error());
        EXPECT_EQ(device.bad_calls(), 0u);
        std::string report;
        const int status = fsck(temp, device.image(), report);
        EXPECT_EQ(status, 0) << report;
    }

    std::string debugfs_cat(const std::string& path) {
        const std::string image = temp.path() + "/check.img";
        write_image(image, device.image());
        std::string out;
        (void)run("/usr/sbin/debugfs -R 'cat " + path + "' '" + image + "' 2>/dev/null", &out);
        // debugfs prints its version banner on stderr, merged by run().
        const size_t banner = out.find('\n');
        if (out.rfind("debugfs ", 0) == 0 && banner != std::string::npos) {
            out = out.substr(banner + 1);
        }
        return out;
    }
};

// dirs directories of per_dir files each, on an image of size_kib.
void tree_storm(u32 block_size, int dirs, int per_dir, u32 size_kib, u64 span = 1200 * 1024,
                const std::string& extra = "") {
    EXT2_REQUIRE_TOOLS();
    Fixture f(block_size, size_kib, "-N 4096 " + extra);
    for (int d = 0; d < dirs; ++d) {
        f.mkdir("/d" + std::to_string(d));
        for (int i = 0; i < per_dir; ++i) {
            const std::string path =
                "/d" + std::to_string(d) + "/file-with-a-longish-name-" + std::to_string(i);
            f.create(path, f.random_text(f.rng() % 300));
        }
    }
    f.mkdir("/d0/nested");
    f.mkdir("/d0/nested/deeper");
    f.verify();
    // Random writes at random offsets, reaching the double indirect tree.
    std::vector<std::string> paths;
    for (const auto& [path, bytes] : f.files) {
        paths.push_back(path);
    }
    for (int i = 0; i < 150; ++i) {
        const std::string& path = paths[f.rng() % 40 % paths.size()];
        const u64 offset = f.rng() % span;
        f.write_at(path, offset, f.random_text(1 + f.rng() % 9000));
    }
    for (int i = 0; i < 40; ++i) {
        f.truncate(paths[f.rng() % 40 % paths.size()], f.rng() % (span * 3 / 4));
    }
    f.verify();
    // Unlinks, then a rename storm of files across directories, and moves of
    // directories.
    for (int i = 0; i < 300; ++i) {
        const std::string path = paths[f.rng() % paths.size()];
        if (f.files.count(path)) {
            f.unlink(path);
        }
    }
    for (int i = 0; i < 500; ++i) {
        auto it = f.files.begin();
        std::advance(it, f.rng() % f.files.size());
        const std::string from = it->first;
        auto dir = f.dirs.begin();
        std::advance(dir, f.rng() % f.dirs.size());
        const std::string to = (*dir == "/" ? "" : *dir) + "/r" + std::to_string(i);
        auto renamed = f.volume.rename(f.dir_ino(parent_of(from)), sv(base_of(from)),
                                       f.dir_ino(parent_of(to)), sv(base_of(to)));
        ASSERT_FALSE(renamed.is_error()) << from << " -> " << to << ": " << renamed.error().what();
        f.files[to] = f.files[from];
        f.files.erase(from);
    }
    // Rename over an existing file replaces it.
    {
        auto a = f.files.begin();
        auto b = std::next(a);
        const std::string from = a->first, to = b->first;
        auto renamed = f.volume.rename(f.dir_ino(parent_of(from)), sv(base_of(from)),
                                       f.dir_ino(parent_of(to)), sv(base_of(to)));
        ASSERT_FALSE(renamed.is_error()) << renamed.error().what();
        ASSERT_NE(renamed.value().inode, 0u);
        ASSERT_FALSE(f.volume.evict(renamed.value().inode).is_error());
        f.files[to] = f.files[from];
        f.files.erase(from);
    }
    // Directory moves: d1 into d2, then refused under itself.
    auto moved = f.volume.rename(ext2::root_ino, "d1", f.dir_ino("/d2"), "d1moved");
    ASSERT_FALSE(moved.is_error()) << moved.error().what();
    std::map<std::string, std::string> renamed_files;
    for (auto& [path, bytes] : f.files) {
        renamed_files[path.rfind("/d1/", 0) == 0 ? "/d2/d1moved/" + path.substr(4) : path] = bytes;
    }
    f.files = renamed_files;
    std::set<std::string> renamed_dirs;
    for (const auto& d : f.dirs) {
        renamed_dirs.insert(d == "/d1" ? "/d2/d1moved" : d);
    }
    f.dirs = renamed_dirs;
    auto loop = f.volume.rename(ext2::root_ino, "d2", f.dir_ino("/d2/d1moved"), "x");
    ASSERT_TRUE(loop.is_error());
    EXPECT_EQ(loop.error().code(), Errno::INVAL);
    EXPECT_EQ(f.volume.read_inode(f.dir_ino("/d2/d1moved")).value().links_count, 2);
    // rmdir: refused when not empty, then done when empty.
    auto busy = f.volume.rmdir(f.dir_ino("/d0"), "nested");
    ASSERT_TRUE(busy.is_error());
    EXPECT_EQ(busy.error().code(), Errno::NOTEMPTY);
    f.mkdir("/d0/nested/empty");
    auto gone = f.volume.rmdir(f.dir_ino("/d0/nested"), "empty");
    ASSERT_FALSE(gone.is_error()) << gone.error().what();
    ASSERT_FALSE(f.volume.evict(gone.value().inode).is_error());
    f.dirs.erase("/d0/nested/empty");
    // Hard links and symlinks of both kinds.
    const std::string linked = f.files.begin()->first;
    ASSERT_FALSE(f.volume.link(ext2::root_ino, "hard", resolve(f.volume, linked)).is_error());
    f.files["/hard"] = f.files[linked];
    ASSERT_FALSE(f.volume.symlink(ext2::root_ino, "fast", "d0", 0, 0).is_error());
    const std::string long_target(200, 'T');
    ASSERT_FALSE(f.volume.symlink(ext2::root_ino, "slow", sv(long_target), 0, 0).is_error());
    f.symlinks = {"/fast", "/slow"};
    char target[300];
    auto n = f.volume.readlink(resolve(f.volume, "/slow"), target, sizeof(target));
    ASSERT_FALSE(n.is_error());
    EXPECT_EQ(std::string(target, n.value()), long_target);
    EXPECT_EQ(f.volume.lookup(ext2::root_ino, "hard").value(), resolve(f.volume, linked));
    f.verify();
    // A file written to be read back by debugfs.
    f.create("/d0/debugfs-check", f.random_text(5000));
    const std::string expected = f.files["/d0/debugfs-check"];
    const std::string big_path = f.files.rbegin()->first;
    f.unmount_and_fsck();
    EXPECT_EQ(f.debugfs_cat("/d0/debugfs-check"), expected);
    EXPECT_TRUE(f.debugfs_cat(big_path) == f.files[big_path]) << big_path;
    EXPECT_EQ(f.debugfs_cat("/hard"), f.files["/hard"]);
}

// 2000 files in 20 directories (mke2fs makes 128-byte inodes on small file
// systems unless told otherwise).
TEST(Ext2Write, TreeStormWith1KiBBlocks) {
    tree_storm(1024, 20, 100, 32768);
}
TEST(Ext2Write, TreeStormWith4KiBBlocks) {
    tree_storm(4096, 20, 100, 32768, 1200 * 1024, "-I 256"); // large inodes: i_extra_isize
}
TEST(Ext2Write, TreeStormWith64KiBBlocks) {
    tree_storm(65536, 5, 20, 49152, 400 * 1024);
}

// Fill the disk to ENOSPC, then free everything: the counts come back.
TEST(Ext2Write, FillToNoSpaceThenFree) {
    EXT2_REQUIRE_TOOLS();
    Fixture f(1024, 4096);
    const auto start = f.volume.statfs();
    std::string chunk = f.random_text(64 * 1024);
    int files = 0;
    bool full = false;
    for (; files < 200 && !full; ++files) {
        const std::string name = "fill" + std::to_string(files);
        auto ino = f.volume.create(ext2::root_ino, sv(name), ext2::mode_reg | 0600, 0, 0);
        ASSERT_FALSE(ino.is_error()) << ino.error().what();
        u64 offset = 0;
        for (;;) {
            auto n = f.volume.write(ino.value(), offset, reinterpret_cast<const u8*>(chunk.data()),
                                    chunk.size());
            if (n.is_error()) {
                EXPECT_EQ(n.error().code(), Errno::NOSPC);
                full = true;
                break;
            }
            offset += n.value();
            if (n.value() < chunk.size() || offset > 512 * 1024) {
                break;
            }
        }
    }
    ASSERT_TRUE(full);
    EXPECT_EQ(f.volume.statfs().free_blocks, 0u);
    // Inodes run out too.
    int extra = 0;
    for (; extra < 100000; ++extra) {
        auto ino = f.volume.create(ext2::root_ino, sv("empty" + std::to_string(extra)),
                                   ext2::mode_reg | 0600, 0, 0);
        if (ino.is_error()) {
            EXPECT_EQ(ino.error().code(), Errno::NOSPC);
            break;
        }
    }
    for (int i = 0; i < files; ++i) {
        f.unlink("/fill" + std::to_string(i));
    }
    for (int i = 0; i < extra; ++i) {
        f.unlink("/empty" + std::to_string(i));
    }
    const auto end = f.volume.statfs();
    EXPECT_EQ(end.free_inodes, start.free_inodes);
    // The root directory grew by blocks for the names; all else came back.
    EXPECT_GE(end.free_blocks + 64, start.free_blocks);
    f.unmount_and_fsck();
}

// A sparse file past 4 GiB (triple indirect at 4 KiB blocks): i_size_high
// and large_file are set, and e2fsck agrees.
TEST(Ext2Write, FileLargerThan4GiB) {
    EXT2_REQUIRE_TOOLS();
    Fixture f(4096, 16384, "-O ^large_file");
    f.create("/huge", "head");
    const u64 far = 5 * kite::GiB + 12345;
    const u32 ino = resolve(f.volume, "/huge");
    // Not through the model: it would hold 5 GiB.
    auto written = f.volume.write(ino, far, reinterpret_cast<const u8*>("tail"), 4);
    ASSERT_FALSE(written.is_error()) << written.error().what();
    f.files.clear();
    EXPECT_EQ(ext2::inode_file_size(f.volume.read_inode(ino).value()), far + 4);
    EXPECT_TRUE(f.volume.superblock().feature_ro_compat & ext2::ro_compat_large_file);
    char tail[4];
    auto n = f.volume.read(ino, far, reinterpret_cast<u8*>(tail), 4);
    ASSERT_FALSE(n.is_error());
    EXPECT_EQ(std::string(tail, 4), "tail");
    char middle[8];
    auto hole = f.volume.read(ino, 3 * kite::GiB, reinterpret_cast<u8*>(middle), 8);
    ASSERT_FALSE(hole.is_error());
    EXPECT_EQ(std::string(middle, 8), std::string(8, '\0'));
    f.unmount_and_fsck();
    // Shrinking frees the triple indirect tree.
    MemoryDevice again(f.device.image());
    Volume volume(again);
    ASSERT_FALSE(volume.mount({.read_only = false, .precise_clock = now_for_tests}).is_error());
    const auto before = volume.statfs().free_blocks;
    ASSERT_FALSE(volume.truncate(ino, 10).is_error());
    EXPECT_GE(volume.statfs().free_blocks, before + 4);
    EXPECT_EQ(volume.read_inode(ino).value().block[ext2::triple_slot], 0u);
    ASSERT_FALSE(volume.unmount().is_error());
    std::string report;
    EXPECT_EQ(fsck(f.temp, again.image(), report), 0) << report;
}

// The superblock's state: not clean while mounted writable, clean after.
TEST(Ext2Write, SuperblockStateAndMountCount) {
    EXT2_REQUIRE_TOOLS();
    Fixture f(1024, 2048);
    const u16 mounts = f.volume.superblock().mnt_count;
    ext2::Superblock on_disk;
    std::memcpy(&on_disk, f.device.image().data() + 1024, sizeof(on_disk));
    EXPECT_EQ(on_disk.state & ext2::state_valid, 0);
    EXPECT_EQ(on_disk.mtime, test_seconds);
    ASSERT_FALSE(f.volume.unmount().is_error());
    std::memcpy(&on_disk, f.device.image().data() + 1024, sizeof(on_disk));
    EXPECT_EQ(on_disk.state, ext2::state_valid);
    EXPECT_EQ(on_disk.mnt_count, mounts);
    // mark_error leaves ERROR_FS for e2fsck.
    MemoryDevice again(f.device.image());
    Volume volume(again);
    ASSERT_FALSE(volume.mount({.read_only = false, .precise_clock = now_for_tests}).is_error());
    volume.mark_error();
    ASSERT_FALSE(volume.unmount().is_error());
    std::memcpy(&on_disk, again.image().data() + 1024, sizeof(on_disk));
    EXPECT_TRUE(on_disk.state & ext2::state_error);
}

} // namespace

namespace {

// Revision 0 (no feature words, 128-byte inodes, first inode 11) and a
// revision 1 file system without the filetype feature: written, then clean.
void old_format_test(const std::string& extra) {
    EXT2_REQUIRE_TOOLS();
    Fixture f(1024, 4096, extra);
    EXPECT_FALSE(f.volume.has_filetype());
    if (extra == "-r 0") {
        EXPECT_EQ(f.volume.superblock().rev_level, ext2::good_old_rev);
    }
    for (int i = 0; i < 50; ++i) {
        f.mkdir("/dir" + std::to_string(i));
        f.create("/dir" + std::to_string(i) + "/file", f.random_text(3000 + i * 500));
    }
    for (int i = 0; i < 50; i += 2) {
        f.unlink("/dir" + std::to_string(i) + "/file");
    }
    auto moved = f.volume.rename(f.dir_ino("/dir1"), "file", f.dir_ino("/dir0"), "moved");
    ASSERT_FALSE(moved.is_error()) << moved.error().what();
    f.files["/dir0/moved"] = f.files["/dir1/file"];
    f.files.erase("/dir1/file");
    // Without filetype, entries carry no type.
    u64 position = 0;
    ext2::DirEntry entry;
    ASSERT_TRUE(f.volume.read_dir(ext2::root_ino, position, entry).value());
    EXPECT_EQ(entry.file_type, ext2::ft_unknown);
    f.verify();
    f.unmount_and_fsck();
}

TEST(Ext2Write, RevisionZero) {
    old_format_test("-r 0");
}
TEST(Ext2Write, NoFiletypeFeature) {
    old_format_test("-O ^filetype");
}

// Revision 0 cannot say a file is large: a write past 2 GiB is EFBIG.
TEST(Ext2Write, RevisionZeroRefusesLargeFiles) {
    EXT2_REQUIRE_TOOLS();
    Fixture f(1024, 2048, "-r 0");
    f.create("/f", "x");
    auto n =
        f.volume.write(resolve(f.volume, "/f"), 0x80000000ull, reinterpret_cast<const u8*>("y"), 1);
    ASSERT_TRUE(n.is_error());
    EXPECT_EQ(n.error().code(), Errno::FBIG);
    f.unmount_and_fsck();
}

} // namespace

namespace {

// A hashed (dir_index) directory, as e2fsck -D or Linux make them: read
// linearly, and changed with its index flag cleared (as Linux's ext2 does),
// after which e2fsck finds the file system clean.
TEST(Ext2Write, HashedDirectory) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    const std::string source = temp.path() + "/src";
    ASSERT_EQ(run("mkdir -p '" + source + "/big'"), 0);
    for (int i = 0; i < 3000; ++i) {
        write_file(source + "/big/entry-" + std::to_string(i), std::to_string(i));
    }
    const std::string path = temp.path() + "/hashed.img";
    write_image(path, make_image(temp, "ext2", 1024, 8192, source, "-N 4096"));
    std::string output;
    ASSERT_EQ(run("/usr/sbin/e2fsck -fyD '" + path + "'", &output) & ~1, 0) << output;
    MemoryDevice device(read_image(path));
    Volume volume(device);
    ASSERT_FALSE(volume.mount({.read_only = false, .precise_clock = now_for_tests}).is_error());
    const u32 big = resolve(volume, "/big");
    ASSERT_NE(big, 0u);
    ASSERT_TRUE(volume.read_inode(big).value().flags & ext2::inode_flag_index)
        << "e2fsck -D did not index the directory";
    for (int i = 0; i < 3000; i += 7) {
        const std::string name = "entry-" + std::to_string(i);
        const u32 ino = volume.lookup(big, StringView(name.data(), name.size())).value();
        EXPECT_EQ(read_all(volume, ino), std::to_string(i));
    }
    int count = 0;
    u64 position = 0;
    ext2::DirEntry entry;
    while (volume.read_dir(big, position, entry).value()) {
        ++count;
    }
    EXPECT_EQ(count, 3002);
    for (int i = 0; i < 3000; i += 3) {
        const std::string name = "entry-" + std::to_string(i);
        auto gone = volume.unlink(big, StringView(name.data(), name.size()));
        ASSERT_FALSE(gone.is_error()) << gone.error().what();
        ASSERT_FALSE(volume.evict(gone.value().inode).is_error());
    }
    for (int i = 0; i < 200; ++i) {
        const std::string name = "added-" + std::to_string(i);
        ASSERT_FALSE(
            volume.create(big, StringView(name.data(), name.size()), ext2::mode_reg | 0644, 0, 0)
                .is_error());
    }
    EXPECT_FALSE(volume.read_inode(big).value().flags & ext2::inode_flag_index);
    ASSERT_FALSE(volume.unmount().is_error());
    std::string report;
    EXPECT_EQ(fsck(temp, device.image(), report), 0) << report;
}

} // namespace

namespace {

// Nanoseconds and post-2038 seconds need large inodes; small ones keep
// whole seconds only (as Linux).
TEST(Ext2Write, TimestampsWithAndWithoutExtraFields) {
    EXT2_REQUIRE_TOOLS();
    for (const char* size : {"-I 256", "-I 128"}) {
        Fixture f(1024, 2048, size);
        const bool large = f.volume.inode_size() > 128;
        f.create("/t", "x");
        const u32 ino = resolve(f.volume, "/t");
        auto inode = f.volume.read_inode(ino).value();
        const auto m = ext2::inode_time(inode, ext2::TimeField::Modify);
        EXPECT_EQ(m.seconds, test_seconds);
        EXPECT_EQ(m.nanoseconds, large ? test_nanoseconds : 0u);
        ext2::Attributes a;
        a.set_atime = a.set_mtime = true;
        a.atime = {0x1'2345'6789ll, 5}; // past 2106: needs the epoch bits
        a.mtime = {-5, 0};              // before 1970
        ASSERT_FALSE(f.volume.set_attributes(ino, a).is_error());
        inode = f.volume.read_inode(ino).value();
        const auto at = ext2::inode_time(inode, ext2::TimeField::Access);
        EXPECT_EQ(at.seconds, large ? 0x1'2345'6789ll : static_cast<i32>(0x2345'6789));
        EXPECT_EQ(at.nanoseconds, large ? 5u : 0u);
        EXPECT_EQ(ext2::inode_time(inode, ext2::TimeField::Modify).seconds, -5);
        f.unmount_and_fsck();
    }
}

} // namespace

namespace {

// A whole-seconds clock is enough: the nanoseconds are then 0.
u32 seconds_clock() {
    return 1600000000;
}

TEST(Ext2Write, SecondsClock) {
    EXT2_REQUIRE_TOOLS();
    TempDir temp;
    MemoryDevice device(make_image(temp, "ext2", 1024, 2048, "", "-I 256"));
    Volume volume(device);
    ASSERT_FALSE(volume.mount({.read_only = false, .clock = seconds_clock}).is_error());
    const u32 ino = volume.create(ext2::root_ino, "f", ext2::mode_reg | 0644, 0, 0).value();
    const auto t = ext2::inode_time(volume.read_inode(ino).value(), ext2::TimeField::Change);
    EXPECT_EQ(t.seconds, 1600000000);
    EXPECT_EQ(t.nanoseconds, 0u);
    ext2::Attributes a;
    a.set_mtime = true;
    a.mtime = 1234u; // whole seconds convert
    ASSERT_FALSE(volume.set_attributes(ino, a).is_error());
    EXPECT_EQ(volume.read_inode(ino).value().mtime, 1234u);
    ASSERT_FALSE(volume.unmount().is_error());
}

} // namespace
