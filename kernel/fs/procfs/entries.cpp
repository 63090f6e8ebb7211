// entries.cpp: the vnodes behind the tables of entries.h: a generated
// file, whose text is made at the first read of each open (and again at a
// read from offset 0, as after lseek(0), which top and free do) and kept
// for that open file, so that a reader taking it in pieces sees one
// consistent text, as Linux's seq_file gives; and a directory of fixed
// entries. Every lookup makes new vnodes, so an open file is the only
// holder of its text.
#include "fs/procfs/entries.h"

#include "sync/mutex.h"

namespace kite::procfs {

namespace {

// Runs the generator into a buffer large enough for all of its text.
ErrorOr<Text> generate(const Entry& entry, const Target& target) {
    for (usize capacity = Text::first_capacity;; capacity *= 2) {
        Text text(TRY(KBuffer::try_create(capacity)), capacity);
        TRY(entry.generate(text, target));
        if (!text.overflowed()) {
            return text;
        }
        if (capacity * 2 > Text::max_capacity) {
            return Error(Errno::NOMEM, "a /proc text too large");
        }
    }
}

class GeneratedFile final : public ProcVnode {
  public:
    GeneratedFile(const Entry& entry, const Target& target, Errno write_error)
        : ProcVnode(VnodeType::Regular, entry.mode), m_entry(entry), m_target(target),
          m_write_error(write_error) {}

    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override {
        bool have = false;
        {
            MutexGuard guard(m_lock);
            have = m_made;
        }
        if (!have || offset == 0) {
            // Made with no lock held: generators take the process table,
            // namespace and user memory locks.
            Text text = TRY(generate(m_entry, m_target));
            MutexGuard guard(m_lock);
            m_length = text.length();
            m_text = text.take_storage();
            m_made = true;
        }
        // The user copy may fault; the lock keeps the text from being
        // replaced under it (a file's data lock, as MemoryFile's).
        MutexGuard guard(m_lock);
        if (offset >= m_length) {
            return 0;
        }
        const usize n = min<u64>(length, m_length - offset);
        return to.write_some(0, m_text.data() + offset, n);
    }

    ErrorOr<usize> write(u64, const IoBuffer& from, usize length) override {
        if (!m_entry.write) {
            return Error(m_write_error, "this /proc file takes no writes");
        }
        return m_entry.write(m_target, from, length);
    }
    ErrorOr<void> truncate(u64) override { return {}; } // O_TRUNC, as on Linux: nothing

  private:
    const Entry& m_entry;
    Target m_target;
    Errno m_write_error;
    mutable Mutex m_lock{"proc text", LockRank::FileData};
    KBuffer m_text;
    usize m_length = 0;
    bool m_made = false;
};

class FixedDirectory final : public ProcVnode {
  public:
    FixedDirectory(const Entry& entry, const Target& target, Errno write_error)
        : ProcVnode(VnodeType::Directory, entry.mode), m_entry(entry), m_target(target),
          m_write_error(write_error) {}
    bool is_read_only() const override { return true; }

    ErrorOr<RefPtr<Vnode>> lookup(StringView name) override {
        return lookup_entry(m_entry.children, m_entry.child_count, name, m_target, m_write_error,
                            this);
    }
    ErrorOr<bool> read_directory(usize index, DirectoryEntry& out) override {
        if (index >= m_entry.child_count) {
            return false;
        }
        describe_entry(m_entry.children[index], out);
        return true;
    }

  private:
    const Entry& m_entry;
    Target m_target;
    Errno m_write_error;
};

// Stable inode numbers for listings: a hash of the name, never 0.
u64 name_inode(StringView name) {
    u64 hash = 1469598103934665603u;
    for (char c : name) {
        hash = (hash ^ static_cast<u8>(c)) * 1099511628211u;
    }
    return (hash >> 1) | 1;
}

} // namespace

void set_entry(DirectoryEntry& out, StringView name, u64 inode, VnodeType type) {
    const usize length = min<usize>(name.length(), max_name_length);
    __builtin_memcpy(out.name, name.data(), length);
    out.name[length] = '\0';
    out.inode = inode;
    out.type = type;
}

void describe_entry(const Entry& entry, DirectoryEntry& out) {
    set_entry(out, entry.name, name_inode(entry.name),
              entry.children ? VnodeType::Directory : VnodeType::Regular);
}

ErrorOr<RefPtr<Vnode>> make_entry_vnode(const Entry& entry, const Target& target, Errno write_error,
                                        Vnode* parent) {
    RefPtr<ProcVnode> vnode;
    if (entry.children) {
        vnode = TRY(try_make_ref<FixedDirectory>(entry, target, write_error));
    } else {
        vnode = TRY(try_make_ref<GeneratedFile>(entry, target, write_error));
    }
    vnode->set_device(device);
    vnode->set_parent(parent);
    return RefPtr<Vnode>(vnode);
}

ErrorOr<RefPtr<Vnode>> lookup_entry(const Entry* entries, usize count, StringView name,
                                    const Target& target, Errno write_error, Vnode* parent) {
    for (usize i = 0; i < count; ++i) {
        if (name == StringView(entries[i].name)) {
            return make_entry_vnode(entries[i], target, write_error, parent);
        }
    }
    return Error(Errno::NOENT, "no such file in /proc");
}

} // namespace kite::procfs
