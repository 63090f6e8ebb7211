// pipe.h: a pipe: a bounded buffer (64 KiB, like Linux) between a read end
// and a write end. Readers block while it is empty and writers while it is
// full; a read with no writers left returns 0 (end of file), a write with
// no readers left fails with EPIPE (and SIGPIPE). Writes of at most
// atomic_size bytes are never interleaved with other writes.
#pragma once

#include "fs/vnode.h"

namespace kite {

constexpr usize pipe_capacity = 64 * KiB;
constexpr usize pipe_atomic_size = 4096; // PIPE_BUF
// pipe2's O_DIRECT: packet mode, as Linux's. Each write is a packet (one
// of at most PIPE_BUF bytes; longer writes are cut into such packets), a
// read returns at most one packet and drops what of it does not fit, and
// the pipe holds at most pipe_max_packets of them (Linux's 16 buffers).
constexpr u32 pipe_packet_flag = 040000;
constexpr usize pipe_max_packets = pipe_capacity / pipe_atomic_size;

// The two ends, each a vnode of its own (so that closing the last
// descriptor of an end is the end's destruction).
struct PipeEnds {
    RefPtr<Vnode> read_end;
    RefPtr<Vnode> write_end;
};
[[nodiscard]] ErrorOr<PipeEnds> create_pipe(bool packets = false);

// A named pipe, for mknod: its opens meet in one pipe (see pipe.cpp).
[[nodiscard]] ErrorOr<RefPtr<Vnode>> create_fifo(u32 permissions);

} // namespace kite
