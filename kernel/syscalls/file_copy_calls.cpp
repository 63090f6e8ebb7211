// file_copy_calls.cpp: copying between descriptors inside the kernel:
// sendfile and copy_file_range. Both move the bytes through one kernel
// page at a time; Kite's files live in memory, so there is nothing to gain
// from sharing pages instead.
#include "lib/kbuffer.h"
#include "proc/signal_pending.h"
#include "syscalls/file_transfer.h"
#include "syscalls/syscall.h"

namespace kite {

namespace {

constexpr usize chunk_size = 4096;

// Where one side of a copy reads or writes: a position the caller passed
// by pointer (read in, updated when done) or the file's own offset.
struct CopySide {
    RefPtr<OpenFile> file;
    u64 position_address = 0; // 0: the file's offset
    i64 position = at_offset;
};

ErrorOr<void> read_position(CopySide& side, u64 address) {
    side.position_address = address;
    if (address == 0) {
        return {};
    }
    side.position = TRY(read_user<i64>({address}));
    if (side.position < 0) {
        return Error(Errno::INVAL, "negative offset");
    }
    return {};
}

// Copies up to count bytes; stops early at the end of the input, at a
// short write, at a pending signal after some bytes, or at an error after
// some bytes (which it then reports as a short count, as Linux does).
ErrorOr<u64> copy(CopySide& in, CopySide& out, u64 count) {
    if (count == 0) {
        return 0;
    }
    const KBuffer buffer = TRY(KBuffer::try_create(chunk_size));
    u64 done = 0;
    while (done < count) {
        const usize want = static_cast<usize>(min<u64>(count - done, chunk_size));
        auto got = read_from(*in.file, in.position, IoBuffer::kernel(buffer.data()), want);
        if (got.is_error()) {
            if (done > 0) {
                break;
            }
            return got.release_error();
        }
        if (got.value() == 0) {
            break;
        }
        auto put =
            write_limited(*out.file, out.position, IoBuffer::kernel(buffer.data()), got.value());
        if (put.is_error()) {
            if (done > 0) {
                break;
            }
            return put.release_error();
        }
        // A short write leaves bytes read but not written: put the input
        // back where the output stopped (only a positioned input can be).
        const usize moved = put.value();
        if (in.position != at_offset) {
            in.position += static_cast<i64>(moved);
        } else if (moved < got.value()) {
            (void)in.file->seek(static_cast<i64>(moved) - static_cast<i64>(got.value()), 1);
        }
        if (out.position != at_offset) {
            out.position += static_cast<i64>(moved);
        }
        done += moved;
        // A pending signal stops it too, as Linux's splice loop.
        if (moved < got.value() || got.value() < want || signal_pending()) {
            break;
        }
    }
    return done;
}

ErrorOr<void> write_positions(const CopySide& in, const CopySide& out) {
    if (in.position_address) {
        TRY(write_user<i64>({in.position_address}, in.position));
    }
    if (out.position_address) {
        TRY(write_user<i64>({out.position_address}, out.position));
    }
    return {};
}

} // namespace

// sendfile(out_fd, in_fd, offset pointer or NULL, count), in Linux's order
// of checks: the input (EBADF, ESPIPE for a position on an unseekable one),
// then the output (EBADF, EINVAL for O_APPEND).
SyscallResult sys_sendfile(const SyscallArguments& args) {
    CopySide in{TRY(file_for(args.a1))};
    if (!in.file->readable()) {
        return Error(Errno::BADF, "input not open for reading");
    }
    if (args.a2 && !in.file->vnode()->is_seekable()) {
        return Error(Errno::SPIPE, "an offset on an unseekable input");
    }
    TRY(read_position(in, args.a2));
    const VnodeType in_type = in.file->vnode()->type();
    if (in_type != VnodeType::Regular && in_type != VnodeType::CharDevice) {
        return Error(Errno::INVAL, "the input cannot be read by sendfile");
    }
    CopySide out{TRY(file_for(args.a0))};
    if (!out.file->writable()) {
        return Error(Errno::BADF, "output not open for writing");
    }
    if (out.file->flags() & O_APPEND) {
        return Error(Errno::INVAL, "output opened with O_APPEND");
    }
    const u64 count = min<u64>(args.a3, max_io);
    const u64 done = TRY(copy(in, out, count));
    TRY(write_positions(in, out));
    return static_cast<i64>(done);
}

// copy_file_range(fd_in, off_in, fd_out, off_out, length, flags): between
// regular files of one file system (EXDEV otherwise, as Linux since 5.19
// for file systems without their own copy).
SyscallResult sys_copy_file_range(const SyscallArguments& args) {
    if (args.a5 != 0) {
        return Error(Errno::INVAL, "flags must be 0");
    }
    CopySide in{TRY(file_for(args.a0))};
    CopySide out{TRY(file_for(args.a2))};
    if ((args.a1 && !in.file->vnode()->is_seekable()) ||
        (args.a3 && !out.file->vnode()->is_seekable())) {
        return Error(Errno::SPIPE, "an offset on an unseekable file");
    }
    TRY(read_position(in, args.a1));
    TRY(read_position(out, args.a3));
    if (!in.file->readable() || !out.file->writable() || (out.file->flags() & O_APPEND)) {
        return Error(Errno::BADF, "wrong access mode");
    }
    const Vnode& source = *in.file->vnode();
    const Vnode& target = *out.file->vnode();
    if (source.is_directory() || target.is_directory()) {
        return Error(Errno::ISDIR, "a directory");
    }
    if (source.type() != VnodeType::Regular || target.type() != VnodeType::Regular) {
        return Error(Errno::INVAL, "not a regular file");
    }
    if (source.device() != target.device()) {
        return Error(Errno::XDEV, "across file systems");
    }
    const u64 count = min<u64>(args.a4, max_io);
    if (&source == &target) {
        // Overlapping ranges of one file are refused (EINVAL).
        const u64 from =
            in.position == at_offset ? TRY(in.file->seek(0, 1)) : static_cast<u64>(in.position);
        const u64 to =
            out.position == at_offset ? TRY(out.file->seek(0, 1)) : static_cast<u64>(out.position);
        if (from + count > to && to + count > from) {
            return Error(Errno::INVAL, "overlapping ranges of one file");
        }
    }
    const u64 done = TRY(copy(in, out, count));
    TRY(write_positions(in, out));
    return static_cast<i64>(done);
}

} // namespace kite
