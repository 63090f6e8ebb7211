// ipc_ids.cpp: see ipc_ids.h.
#include "ipc/ipc_ids.h"

#include "time/clock.h"

namespace kite::ipc {

abi::Ipc64Perm Permissions::to_abi() const {
    abi::Ipc64Perm out{};
    out.key = key;
    out.uid = uid;
    out.gid = gid;
    out.cuid = cuid;
    out.cgid = cgid;
    out.mode = mode;
    out.seq = sequence;
    return out;
}

void Permissions::set_from(const abi::Ipc64Perm& from) {
    uid = from.uid;
    gid = from.gid;
    mode = (mode & ~0777u) | (from.mode & 0777);
}

i64 now_seconds() {
    return clock::realtime_ns() / 1'000'000'000;
}

} // namespace kite::ipc
