// file_transfer.h: one read or write of the I/O calls, at the open file's
// offset or at a given position, with RLIMIT_FSIZE applied to writes.
#pragma once

#include "syscalls/file_arguments.h"

namespace kite {

// Where a transfer happens: at the file's offset (which moves), or at a
// given position (which the file's offset does not see).
constexpr i64 at_offset = -1;

[[nodiscard]] inline ErrorOr<usize> read_from(OpenFile& file, i64 position, const IoBuffer& to,
                                              usize length) {
    return position == at_offset ? file.read(to, length)
                                 : file.read_at(static_cast<u64>(position), to, length);
}

// A write, within the caller's RLIMIT_FSIZE: crossing it sends SIGXFSZ
// (which by default ends the process) and, if that does not, is EFBIG.
[[nodiscard]] inline ErrorOr<usize> write_limited(OpenFile& file, i64 position,
                                                  const IoBuffer& from, usize length) {
    Process* self = Process::current();
    const u64 limit = self->limits.soft(Resource::FileSize);
    auto written = position == at_offset
                       ? file.write(from, length, limit)
                       : file.write_at(static_cast<u64>(position), from, length, limit);
    if (written.is_error() && written.error().code() == Errno::FBIG) {
        self->send_signal(signals::XFSZ);
    }
    return written;
}

} // namespace kite
