// lock_rank.h: the order in which Kite's locks are taken. A thread may take
// a lock only while every lock it holds has a lower rank; the check runs on
// every acquisition (sync/lock_order.cpp) and panics naming both locks, so a
// wrong order is found the first time the code runs, not when it deadlocks.
//
// Sleeping locks (mutexes) come first: they may be held across a page fault
// or a sleep, so no spinlock may be held when one is taken. Spinlocks follow,
// outermost first. docs/architecture.md lists what each one guards.
#pragma once

#include "lib/types.h"

namespace kite {

enum class LockRank : u8 {
    // Mutexes.
    Epoll = 3,           // every epoll instance and entry (asks vnodes, so below them all)
    FileOffset = 5,      // one open file's offset (regular files and directories)
    VfsNamespace = 10,   // every in-memory directory's entries and parent links
    DiskFile = 14,       // one disk file's writers (appends find the end under it)
    FileData = 20,       // one memory file's bytes and size
    RawBlockNode = 22,   // one /dev block node's partial-sector writes
    FifoOpen = 25,       // one named pipe's opens (its pipe's lock nests inside)
    PipeData = 30,       // one pipe's buffer and reader/writer counts
    EventCounter = 32,   // one eventfd's counter
    UnixSockets = 35,    // every AF_UNIX socket: states, peers, queues, names (net/unix_socket.cpp)
    ConsoleReaders = 40, // one console reader at a time
    Futexes = 45,        // the futex wait lists (a user word is read while held)
    SysvIpc = 47,        // System V semaphore sets and message queues (user copies inside)
    UserMemory = 50,     // one user address space: regions, page tables, break
    Writebacks = 51,     // the list of file systems with data to write back
    // One mounted disk file system: its metadata, buffer cache and files.
    // Above user memory: a fault on a mapped file reads its page under it
    // (and a munmap may drop a file's last reference); it is never held
    // while user memory is touched (file data moves through a bounce page).
    DiskVolume = 52,
    SysvShm = 55,      // System V shared memory segments (a segment's last detach takes it)
    PageCache = 57,    // one file's page cache: its pages, size and mappers (page_cache.h)
    SharedMemory = 60, // the frames of one MAP_SHARED object
    FileLocks = 65,    // every file's fcntl and flock locks and their waiters
    HostNames = 68,    // the host and domain names (uname, sethostname)
    // Spinlocks.
    ProcessTable = 100,    // the process list, tree, groups, sessions, states, signals
    Descriptors = 110,     // one descriptor table (a process's threads share it)
    ConsoleInput = 120,    // the console line discipline and its readers
    BlockDevices = 122,    // the list of disks and partitions
    BlockQueue = 125,      // one block device's requests in flight (its interrupt takes it)
    BlockCompletion = 127, // one block request's end (the queue's interrupt completes it)
    Irq = 130,             // the interrupt handler table
    PciConfig = 135,       // PCI configuration space's address and data ports
    PciEcam = 136,         // which buses' ECAM windows are mapped (pci_ecam.cpp)
    MmioArea = 138,        // the device-register mapping area's next free address
    KernelStacks = 140,    // the kernel stack allocator
    Heap = 150,            // the kernel heap's free lists
    KernelTables = 155,    // the kernel half of the page tables
    Frames = 160,          // the buddy allocator (the frame cache is per CPU)
    TimerFds = 165,        // every timerfd's setting and count, and the armed list
    PollWait = 170,
    CachePointer = 175,  // a disk file's pointer to its page cache while mapped        // poll(2)'s
                         // readiness generation and its sleepers
    Random = 180,        // the random-number generator's pool and key
    MutexState = 190,    // inside one mutex: its waiters going to sleep and being woken
    Scheduler = 200,     // run queue, wait queues, timers, thread states
    ConsoleOutput = 250, // the serial port and the VGA screen
};

// Spinlocks and mutexes rank together; this is where mutexes end.
constexpr u8 first_spinlock_rank = static_cast<u8>(LockRank::ProcessTable);

} // namespace kite
