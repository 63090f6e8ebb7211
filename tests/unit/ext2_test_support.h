// ext2_test_support.h: what the ext2 host tests share: a Device over an
// image in memory (checking the core's call contract), images made with the
// host's mke2fs, and running e2fsck and debugfs on an image.
#pragma once

#include "fs/ext2/ext2_volume.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ext2_test {

using namespace kite;

// An image in memory. Every call must be the superblock or one whole block
// (ext2_device.h); anything else fails the test.
class MemoryDevice final : public ext2::Device {
  public:
    explicit MemoryDevice(std::vector<uint8_t> image) : m_image(std::move(image)) {}
    u64 size() const override { return m_image.size(); }
    ErrorOr<void> read(u64 offset, u8* out, usize length) override;
    ErrorOr<void> write(u64 offset, const u8* data, usize length) override;
    std::vector<uint8_t>& image() { return m_image; }
    usize bad_calls() const { return m_bad_calls; }

  private:
    bool check(u64 offset, usize length);
    std::vector<uint8_t> m_image;
    usize m_bad_calls = 0;
};

// Whether mke2fs, e2fsck and debugfs are there; prints a SKIP line if not.
bool have_e2fsprogs();
#define EXT2_REQUIRE_TOOLS()                                                                       \
    do {                                                                                           \
        if (!::ext2_test::have_e2fsprogs()) {                                                      \
            GTEST_SKIP() << "e2fsprogs (mke2fs, e2fsck, debugfs) not installed";                   \
        }                                                                                          \
    } while (0)

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return m_path; }

  private:
    std::string m_path;
};

// Runs a shell command; its exit status, and its output in *output.
int run(const std::string& command, std::string* output = nullptr);
void write_file(const std::string& path, const std::string& bytes);
std::string read_host_file(const std::string& path);
std::vector<uint8_t> read_image(const std::string& path);
void write_image(const std::string& path, const std::vector<uint8_t>& image);
// mke2fs -q -F -t type -b block_size [-d source] image size_kib, read back.
std::vector<uint8_t> make_image(const TempDir& temp, const std::string& type, u32 block_size,
                                u32 size_kib, const std::string& source,
                                const std::string& extra = "");
// e2fsck -fn on the image; exit status and its report.
int fsck(const TempDir& temp, const std::vector<uint8_t>& image, std::string& report);

// The inode at an absolute path ("/a/b"), or 0.
u32 resolve(ext2::Volume& volume, const std::string& path);
// A whole file's contents through Volume::read.
std::string read_all(ext2::Volume& volume, u32 ino);
kite::ext2::Timestamp now_for_tests();
constexpr u32 test_seconds = 1700000000;
constexpr u32 test_nanoseconds = 123456789;

} // namespace ext2_test
