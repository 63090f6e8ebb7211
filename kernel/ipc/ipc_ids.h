// ipc_ids.h: what the three kinds of System V object (shared memory
// segments, semaphore sets, message queues) have in common: a key, an id,
// the ipc64_perm owner and mode, and the table that finds them by either.
// Each kind keeps its own table under its own lock (ipc/shm.cpp, sem.cpp,
// msg.cpp); the table only does the bookkeeping.
#pragma once

#include "api/ipc.h"
#include "lib/error.h"
#include "lib/own_ptr.h"

namespace kite::ipc {

// Objects of one kind at once (Linux allows 32000; Kite's tables are
// small, fixed arrays). ENOSPC past it, as Linux.
constexpr u32 max_objects = 128;
// An id is the slot plus a sequence number times this, as Linux makes it,
// so that a stale id does not reach the slot's next object.
constexpr i32 sequence_multiplier = 32768;

struct Permissions {
    i32 key = 0;
    u32 uid = 0, gid = 0, cuid = 0, cgid = 0;
    u32 mode = 0; // the low 9 bits are the permissions; above, kind flags
    u16 sequence = 0;

    [[nodiscard]] abi::Ipc64Perm to_abi() const;
    // IPC_SET: the owner and the permission bits change; the rest stays.
    void set_from(const abi::Ipc64Perm& from);
};

// Seconds since 1970, for the *_time fields.
[[nodiscard]] i64 now_seconds();

// What the get calls share: IPC_PRIVATE always makes a new object; a key
// finds the existing one (EEXIST with IPC_CREAT|IPC_EXCL) or, with
// IPC_CREAT, makes one (ENOENT without). See IdTable::get.
enum class GetAction : u8 { Create, Existing };

// T has `Permissions perm` and `i32 id`. Slots hold owned objects.
template <typename T>
class IdTable {
  public:
    ~IdTable() {
        for (T*& slot : m_slots) {
            delete slot;
        }
    }

    // Which object an id names, or nullptr (a free slot or a stale id).
    [[nodiscard]] T* find(i32 id) const {
        if (id < 0) {
            return nullptr;
        }
        const u32 index = static_cast<u32>(id % sequence_multiplier);
        T* object = index < max_objects ? m_slots[index] : nullptr;
        return object && object->id == id ? object : nullptr;
    }
    [[nodiscard]] T* at_index(u32 index) const {
        return index < max_objects ? m_slots[index] : nullptr;
    }
    [[nodiscard]] T* find_key(i32 key) const {
        for (T* object : m_slots) {
            if (object && object->perm.key == key && key != ABI_IPC_PRIVATE) {
                return object;
            }
        }
        return nullptr;
    }
    // The get calls' rule for key and flags: whether to create, or the
    // existing object (in *existing).
    [[nodiscard]] ErrorOr<GetAction> get(i32 key, u32 flags, T** existing) const {
        if (key == ABI_IPC_PRIVATE) {
            return GetAction::Create;
        }
        T* found = find_key(key);
        if (!found) {
            if (!(flags & ABI_IPC_CREAT)) {
                return Error(Errno::NOENT, "no object has this key");
            }
            return GetAction::Create;
        }
        if ((flags & ABI_IPC_CREAT) && (flags & ABI_IPC_EXCL)) {
            return Error(Errno::EXIST, "an object has this key");
        }
        *existing = found;
        return GetAction::Existing;
    }
    // Takes ownership of object and gives it an id; ENOSPC if full.
    [[nodiscard]] ErrorOr<i32> insert(OwnPtr<T> object, i32 key, u32 flags) {
        for (u32 index = 0; index < max_objects; ++index) {
            if (!m_slots[index]) {
                const u16 sequence = m_sequence[index]++;
                object->perm.key = key;
                object->perm.mode = flags & 0777;
                object->perm.sequence = sequence;
                object->id =
                    static_cast<i32>(sequence) * sequence_multiplier + static_cast<i32>(index);
                m_slots[index] = object.leak(); // owned by the table
                return m_slots[index]->id;
            }
        }
        return Error(Errno::NOSPC, "too many System V objects of this kind");
    }
    // Takes the object out of the table; the caller owns it.
    [[nodiscard]] OwnPtr<T> remove(T* object) {
        const u32 index = static_cast<u32>(object->id % sequence_multiplier);
        m_slots[index] = nullptr;
        return OwnPtr<T>::adopt(object);
    }
    // The highest slot in use (IPC_INFO's answer), or 0.
    [[nodiscard]] i32 highest_index() const {
        i32 highest = 0;
        for (u32 index = 0; index < max_objects; ++index) {
            if (m_slots[index]) {
                highest = static_cast<i32>(index);
            }
        }
        return highest;
    }
    [[nodiscard]] u32 count() const {
        u32 n = 0;
        for (T* object : m_slots) {
            n += object ? 1 : 0;
        }
        return n;
    }

  private:
    T* m_slots[max_objects] = {};
    // The next sequence number of each slot; 15 bits, as Linux's ids stay
    // positive.
    u16 m_sequence[max_objects] = {};
};

} // namespace kite::ipc
