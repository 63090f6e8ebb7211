// ext2_test_support.cpp: see ext2_test_support.h.
#include "ext2_test_support.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace ext2_test {

bool MemoryDevice::check(u64 offset, usize length) {
    const bool superblock = offset == 1024 && length == 1024;
    const bool block = length >= 1024 && (length & (length - 1)) == 0 && offset % length == 0;
    if ((!superblock && !block) || offset > m_image.size() || length > m_image.size() - offset) {
        ++m_bad_calls;
        return false;
    }
    return true;
}

ErrorOr<void> MemoryDevice::read(u64 offset, u8* out, usize length) {
    if (!check(offset, length)) {
        return Error(Errno::IO, "test device: bad read");
    }
    std::memcpy(out, m_image.data() + offset, length);
    return {};
}

ErrorOr<void> MemoryDevice::write(u64 offset, const u8* data, usize length) {
    if (!check(offset, length)) {
        return Error(Errno::IO, "test device: bad write");
    }
    std::memcpy(m_image.data() + offset, data, length);
    return {};
}

bool have_e2fsprogs() {
    const bool ok = access("/usr/sbin/mke2fs", X_OK) == 0 &&
                    access("/usr/sbin/e2fsck", X_OK) == 0 && access("/usr/sbin/debugfs", X_OK) == 0;
    if (!ok) {
        std::printf("SKIP: e2fsprogs (mke2fs, e2fsck, debugfs) not installed\n");
    }
    return ok;
}

TempDir::TempDir() {
    char pattern[] = "/tmp/kite-ext2-XXXXXX";
    const char* made = mkdtemp(pattern);
    EXPECT_NE(made, nullptr);
    m_path = made ? made : "/tmp";
}

TempDir::~TempDir() {
    if (m_path.rfind("/tmp/kite-ext2-", 0) == 0) {
        (void)run("rm -rf '" + m_path + "'");
    }
}

int run(const std::string& command, std::string* output) {
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) {
        return -1;
    }
    std::string text;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
        text.append(buffer, n);
    }
    const int status = pclose(pipe);
    if (output) {
        *output = text;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_host_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<uint8_t> read_image(const std::string& path) {
    const std::string bytes = read_host_file(path);
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

void write_image(const std::string& path, const std::vector<uint8_t>& image) {
    write_file(path, std::string(image.begin(), image.end()));
}

std::vector<uint8_t> make_image(const TempDir& temp, const std::string& type, u32 block_size,
                                u32 size_kib, const std::string& source, const std::string& extra) {
    const std::string image = temp.path() + "/made.img";
    (void)run("rm -f '" + image + "'");
    std::string command =
        "/usr/sbin/mke2fs -q -F -t " + type + " -b " + std::to_string(block_size) + " " + extra;
    if (!source.empty()) {
        command += " -d '" + source + "'";
    }
    command += " '" + image + "' " + std::to_string(size_kib) + "k";
    std::string output;
    const int status = run(command, &output);
    EXPECT_EQ(status, 0) << command << "\n" << output;
    return read_image(image);
}

int fsck(const TempDir& temp, const std::vector<uint8_t>& image, std::string& report) {
    const std::string path = temp.path() + "/check.img";
    write_image(path, image);
    return run("/usr/sbin/e2fsck -fn '" + path + "'", &report);
}

u32 resolve(ext2::Volume& volume, const std::string& path) {
    u32 ino = ext2::root_ino;
    size_t start = 1;
    while (start < path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) {
            end = path.size();
        }
        const std::string part = path.substr(start, end - start);
        auto found = volume.lookup(ino, StringView(part.data(), part.size()));
        if (found.is_error()) {
            return 0;
        }
        ino = found.value();
        start = end + 1;
    }
    return ino;
}

std::string read_all(ext2::Volume& volume, u32 ino) {
    auto inode = volume.read_inode(ino);
    if (inode.is_error()) {
        return "<error>";
    }
    const u64 size = ext2::inode_file_size(inode.value());
    std::string bytes(size, '\0');
    auto n = volume.read(ino, 0, reinterpret_cast<u8*>(bytes.data()), bytes.size());
    if (n.is_error()) {
        return std::string("<error: ") + n.error().what() + ">";
    }
    bytes.resize(n.value());
    return bytes;
}

ext2::Timestamp now_for_tests() {
    return {test_seconds, test_nanoseconds};
}

} // namespace ext2_test
