// user_space.h: the user memory of a process, as one object: its page tables
// (arch/x86_64/address_space.h, mechanics only), its regions (MemoryMap),
// the heap break, and the shared objects its MAP_SHARED regions map. Every
// rule about user memory lives here: demand paging, copy-on-write and frame
// reference counts, fork's copy, the image exec builds, the mmap, munmap,
// mprotect and brk policy (mm/user_space_calls.cpp), the access check of
// user copies, and release. Reference-counted, so that the threads of a
// process can share one.
//
// Life cycle: exec creates one and fills it as an image nobody runs yet;
// committing the image makes it the process's; fork copies it; the last
// reference (exit, exec's replacement) releases every frame and then the
// page tables. Its mutex guards the regions, the page tables' user half and
// the break; page faults take it, so no spinlock may be held across a user
// copy.
#pragma once

#include "arch/x86_64/address_space.h"
#include "fs/vnode.h"
#include "lib/ref_ptr.h"
#include "mm/memory_map.h"
#include "mm/page.h"
#include "sync/mutex.h"

namespace kite {

class PageCache;
class SharedMemory;

// Where things go in a user address space.
namespace user_layout {
constexpr u64 lowest_mapping = 0x10000;      // page 0 and its neighbours stay unmapped
constexpr u64 mmap_top = 0x00007f0000000000; // below the stack's 8 MiB
constexpr u64 stack_top = 0x00007ffffffff000;
constexpr u64 stack_size = 8 * MiB; // the default RLIMIT_STACK
// The main thread's stack is as large as RLIMIT_STACK says when exec runs
// (and never smaller than its arguments), up to this much; it does not
// grow after.
constexpr u64 max_stack_size = 4 * GiB;
constexpr u64 brk_limit = 1 * GiB;
constexpr u64 static_pie_base = 0x0000555555554000;
} // namespace user_layout

// What RLIMIT_AS and RLIMIT_DATA allow a new mapping or a larger break
// (bytes; ~0 for no limit). As on Linux, AS counts every mapping and DATA
// the private writable ones, the stack's excepted; the stack's region
// counts for AS only with its pages that are present (Linux's stack is
// as large as it has grown).
struct MemoryLimits {
    u64 address_space = ~u64{0};
    u64 data = ~u64{0};
};

class UserSpace : public RefCounted<UserSpace> {
  public:
    [[nodiscard]] static ErrorOr<RefPtr<UserSpace>> try_create();
    ~UserSpace();

    // Loads these page tables on this CPU.
    void activate();
    // Whether this CPU has its tables loaded.
    [[nodiscard]] bool is_loaded_here() const;
    [[nodiscard]] PhysAddr page_table_root() const { return m_tables->pml4(); }

    // fork: a copy in which private pages are shared copy-on-write (read-only
    // on both sides until one writes) and shared regions stay shared.
    [[nodiscard]] ErrorOr<RefPtr<UserSpace>> fork();

    // A fault at address: brings in the page if its region allows the
    // access (a zero page, a shared object's page, or a private copy of a
    // page shared since fork, a file's page). Refused if the access is not
    // allowed (SIGSEGV, or EFAULT for a user copy); OutOfMemory if it is
    // but no frame or page table could be had (Linux's OOM outcome:
    // SIGKILL); BeyondEnd for a file page wholly past the end of its file
    // or one its file system could not read (SIGBUS, BUS_ADRERR).
    enum class FaultResult : u8 { Resolved, Refused, OutOfMemory, BeyondEnd };
    [[nodiscard]] FaultResult handle_fault(u64 address, bool write, bool execute);
    // How many bytes from address on, up to length, the regions allow to
    // read (or write): user copies honour PROT_NONE and read-only mappings
    // as the CPU would. Reads the regions without the lock, though another
    // thread may change them meanwhile: every index stays inside the fixed
    // region array, so a torn read can only give a wrong answer, which the
    // page tables and the locked fault path then correct (one CPU; SMP
    // will want the lock or a sequence count here).
    [[nodiscard]] u64 accessible_length(u64 address, u64 length, bool write) const {
        // The common case, inline: one region holds the whole range.
        const Region* region = m_regions.find(address);
        if (region && (region->protection & (write ? ProtWrite : ProtRead)) &&
            length <= region->end - address) {
            return length;
        }
        return accessible_length_across(address, length, write);
    }

    // What names the word at address for a process-shared futex: the
    // MAP_SHARED object and the byte offset in it, or, for private memory,
    // this space and the address. EFAULT if no region maps it.
    struct WordIdentity {
        const void* object;
        u64 offset;
    };
    [[nodiscard]] ErrorOr<WordIdentity> identify_word(u64 address) const;
    // Whether some region covers address (a fault there is SEGV_ACCERR,
    // elsewhere SEGV_MAPERR).
    [[nodiscard]] bool has_region_at(u64 address) const;

    // The system calls' policy (mm/user_space_calls.cpp). Ranges are
    // page-aligned and inside user space (the callers check).
    // Linux brk: the new break, or the old one.
    [[nodiscard]] u64 set_break(u64 wanted, const MemoryLimits& limits);
    // ENOMEM beyond the limits.
    [[nodiscard]] ErrorOr<u64> map_anonymous(u64 hint, u64 length, u32 protection, bool shared,
                                             bool fixed, const MemoryLimits& limits);
    [[nodiscard]] ErrorOr<void> unmap(u64 start, u64 end);
    // mmap of a file: length bytes from page first_page of the file whose
    // pages are cache (vnode keeps it alive), MAP_SHARED or MAP_PRIVATE
    // (copy-on-write over the cache). The caller checked the descriptor.
    struct FileMapping {
        RefPtr<Vnode> vnode;
        RefPtr<PageCache> cache;
        u64 first_page;
        bool shared;
        u32 denied; // PROT_* bits mprotect may not add (EACCES)
    };
    [[nodiscard]] ErrorOr<u64> map_file(FileMapping file, u64 hint, u64 length, u32 protection,
                                        bool fixed, const MemoryLimits& limits);
    // truncate: unmaps every page of cache's file from page `first` on,
    // private copies included (page_cache.h: PageCache::truncate).
    void unmap_file_pages(const PageCache* cache, u64 first);
    // madvise(MADV_DONTNEED): the pages of [start, end) go; the next touch
    // gives zeros (private anonymous), the file's bytes (private file) or
    // the shared object's page, which stays. ENOMEM if part of the range is
    // unmapped (after doing the rest, as Linux).
    [[nodiscard]] ErrorOr<void> discard(u64 start, u64 end);
    // msync: writes back the MAP_SHARED file pages of [start, end) if
    // write_back; ENOMEM if part of the range is unmapped.
    [[nodiscard]] ErrorOr<void> sync(u64 start, u64 end, bool write_back);
    // shmat: maps the whole of object (a System V segment) at hint, or
    // where there is room if hint is 0. A fixed address may replace what
    // is there only with `replace` (SHM_REMAP); otherwise an overlap is
    // EINVAL, as Linux answers.
    [[nodiscard]] ErrorOr<u64> map_shared_object(RefPtr<SharedMemory> object, u64 hint,
                                                 u32 protection, bool replace,
                                                 const MemoryLimits& limits);
    // shmdt: unmaps the segment attached at address (its first page must
    // be there) and gives its object; EINVAL if no attachment starts there.
    [[nodiscard]] ErrorOr<RefPtr<SharedMemory>> detach_shared_object(u64 address);
    [[nodiscard]] ErrorOr<void> protect(u64 start, u64 end, u32 protection);
    // mprotect with PROT_GROWSDOWN (down) or PROT_GROWSUP, as Linux answers
    // it: ENOMEM if no region is in [start, end) (for GROWSUP: at start);
    // EINVAL unless that region grows the way asked. Only the main
    // thread's stack grows down (as Linux's VM_GROWSDOWN stack); then the
    // range starts at the region's start. Nothing grows up on x86-64.
    [[nodiscard]] ErrorOr<void> protect_growing(u64 start, u64 end, u32 protection, bool down);

    // exec's image writer, for a space nobody runs yet.
    [[nodiscard]] ErrorOr<void> add_region(u64 start, u64 end, u32 protection);
    // The kernel address of the page at `page` (page-aligned, in a region),
    // made if absent: exec writes the program into it.
    [[nodiscard]] ErrorOr<u8*> image_page(u64 page);
    void set_initial_break(u64 brk) { m_brk_start = m_brk_end = brk; }
    // The main thread's stack, [bottom, user_layout::stack_top): exec
    // adds its region.
    [[nodiscard]] ErrorOr<void> add_stack_region(u64 bottom, u32 protection);
    // The program this memory was built for: a symlink to its canonical
    // path, what /proc/PID/exe is (Linux keeps it with the memory too, so a
    // CLONE_VM child shares it). Set by exec before the image runs and not
    // changed after, so it is read without the lock; fork's copy shares it.
    void set_executable(RefPtr<Vnode> link) { m_executable = move(link); }
    [[nodiscard]] const RefPtr<Vnode>& executable() const { return m_executable; }

    // Where exec put the argument and environment strings on the stack
    // (Linux's arg_start..env_end): /proc/PID/cmdline and environ read
    // them there, as the process may have changed them since.
    struct ArgumentRange {
        u64 arg_start = 0;
        u64 arg_end = 0;
        u64 env_start = 0;
        u64 env_end = 0;
    };
    void set_arguments(const ArgumentRange& range) { m_arguments = range; }
    [[nodiscard]] ArgumentRange arguments() const { return m_arguments; }

    // What /proc reports of this memory (mm/user_space_report.cpp), taken
    // under the lock. Sizes in bytes, resident in pages; as on Linux the
    // stack counts with the pages it has (it is as large as it has grown).
    struct Usage {
        u64 size = 0;            // every region (VmSize)
        u64 resident = 0;        // present pages (VmRSS)
        u64 resident_shared = 0; // of which MAP_SHARED (RssShmem)
        u64 data = 0;            // private writable, the stack excepted (VmData)
        u64 stack = 0;           // the stack's present part (VmStk)
        u64 text = 0;            // executable regions (VmExe)
        u64 brk_start = 0;
        u64 brk_end = 0;
        u64 stack_bottom = 0;
    };
    [[nodiscard]] Usage usage() const;
    // The regions in address order, for /proc/PID/maps: visit(region,
    // kind, file) under the lock, where kind names what Linux names
    // ("[heap]", "[stack]", or empty) and file is a file mapping's vnode
    // (null for anonymous memory; the caller takes a reference to keep
    // it). visit must not sleep or touch user memory.
    template <typename Visit>
    void for_each_region(Visit visit) const {
        MutexGuard guard(m_lock);
        for (usize i = 0; i < m_regions.count(); ++i) {
            const Region& region = m_regions[i];
            const Vnode* file = nullptr;
            if (region.file) {
                file = find_file_locked(static_cast<const PageCache*>(region.file))->vnode.ptr();
            }
            visit(region, region_kind_locked(region), file);
        }
    }
    // Copies up to length bytes from address in this space (not the
    // caller's) into out, through the direct map, stopping at the first
    // page that is absent or outside a readable region: how many were
    // copied. For reading another process's arguments.
    [[nodiscard]] usize read_resident(u64 address, void* out, usize length) const;

    // Use try_create; public only for try_make_ref. Defaulted out of line
    // (user_space.cpp), so user-provided: try_make_ref's `new UserSpace()`
    // then only default-initializes, where a constructor defaulted here
    // would make it value-initialization, which zeroes the whole object
    // first (the shared-object table and the rest), though every member
    // that needs a value has an initializer.
    UserSpace();

  private:
    [[nodiscard]] StringView region_kind_locked(const Region& region) const;
    // accessible_length region by region.
    [[nodiscard]] u64 accessible_length_across(u64 address, u64 length, bool write) const;
    // A file page its backing must fill first, without this space's lock
    // (page_cache.h): handle_fault fills it and tries again.
    struct PendingFill {
        RefPtr<Vnode> vnode; // the cache's owner, kept as long as the cache
        RefPtr<PageCache> cache;
        u64 index = 0;
    };
    [[nodiscard]] FaultResult handle_fault_locked(u64 address, bool write, bool execute,
                                                  PendingFill& fill);
    [[nodiscard]] ErrorOr<void> unmap_locked(u64 start, u64 end);
    [[nodiscard]] ErrorOr<void> protect_locked(u64 start, u64 end, u32 protection);
    // Whether size more bytes may be mapped (as a data mapping or not)
    // within the limits, counting what they would replace, [start, end),
    // as gone (MAP_FIXED; an empty range for a mapping placed anew).
    [[nodiscard]] bool fits_limits_locked(u64 size, u64 start, u64 end, bool data,
                                          const MemoryLimits& limits) const;
    // Unmaps and releases every page in [start, end).
    void release_pages(u64 start, u64 end);
    // Calls visit(address) for every present page in [start, end). The walk
    // skips absent tables, so its cost follows what is mapped, not the size
    // of the range; visit may change the mappings (pages are collected in
    // batches before they are visited).
    template <typename Visit>
    void for_each_present_page(u64 start, u64 end, Visit visit) {
        constexpr usize batch = 64;
        struct Collect {
            u64 pages[batch];
            usize count;
        };
        Collect collect;
        while (start < end) {
            collect.count = 0;
            m_tables->visit_present(
                start, end,
                [](u64 virt, PhysAddr, u64, void* raw) {
                    auto* c = static_cast<Collect*>(raw);
                    if (c->count < batch) {
                        c->pages[c->count++] = virt;
                    }
                },
                &collect, false);
            for (usize i = 0; i < collect.count; ++i) {
                visit(collect.pages[i]);
            }
            if (collect.count < batch) {
                return;
            }
            start = collect.pages[batch - 1] + page_size;
        }
    }
    // Adds a region mapping object from its first page; the object is
    // remembered (one reference per attachment: System V's shm_nattch).
    [[nodiscard]] ErrorOr<u64> map_object_locked(RefPtr<SharedMemory> object, u64 start, u64 size,
                                                 u32 protection);
    // Drops the shared objects and files no region maps any more.
    void forget_unmapped_shared();
    [[nodiscard]] FaultResult fault_file_page_locked(const Region& region, VirtAddr page,
                                                     bool write, PendingFill& fill);
    [[nodiscard]] static PageCache& cache_of(const Region& region) {
        return *static_cast<PageCache*>(const_cast<void*>(region.file));
    }
    // The vnode of a file region's cache (its entry in m_files).
    [[nodiscard]] RefPtr<Vnode> vnode_of_locked(const Region& region) const;
    // Whether [start, end) is wholly inside regions.
    [[nodiscard]] bool is_mapped_locked(u64 start, u64 end) const;
    void drop_shared_entry(usize index);
    [[nodiscard]] ErrorOr<void> remember_shared(RefPtr<SharedMemory> shared);

    mutable Mutex m_lock{"user memory", LockRank::UserMemory};
    OwnPtr<AddressSpace> m_tables;
    MemoryMap m_regions;
    RefPtr<Vnode> m_executable;
    ArgumentRange m_arguments;
    u64 m_stack_bottom = 0; // 0 until exec adds the stack
    u64 m_brk_start = 0;
    u64 m_brk_end = 0;
    // The shared objects the regions map (Region::shared is only a tag).
    static constexpr usize max_shared = 32;
    RefPtr<SharedMemory> m_shared[max_shared];
    usize m_shared_count = 0;
    // The files the regions map, one entry per file, in a list this space
    // owns (empty for most processes, so fork and exit pay nothing for
    // it): the entry holds the vnode and its cache, and this space is
    // registered with the cache as a mapper while the entry exists.
    struct MappedFile {
        RefPtr<Vnode> vnode;
        RefPtr<PageCache> cache; // after the vnode: dropped before it
        MappedFile* next = nullptr;
    };
    MappedFile* m_files = nullptr;
    [[nodiscard]] MappedFile* find_file_locked(const PageCache* cache) const;
    // Unregisters and frees *link's entry, which *link then skips.
    void drop_file_entry(MappedFile** link);
};

} // namespace kite
