// pending_signals.cpp: see pending_signals.h.
#include "proc/pending_signals.h"

#include "api/signals.h"
#include "mm/kmalloc.h"

namespace kite {

namespace {
constexpr int first_realtime = 32;
// Entries in every set. Atomic: a set may go with its thread or process
// without the table lock.
u64 queued_entries = 0;
} // namespace

u64 PendingSignals::queued_for_user() {
    return __atomic_load_n(&queued_entries, __ATOMIC_RELAXED);
}

void PendingSignals::free_entry(Entry* entry) {
    kfree(entry);
    __atomic_fetch_sub(&queued_entries, 1, __ATOMIC_RELAXED);
}

abi::signals::SigInfo kernel_signal_info(int signal) {
    abi::signals::SigInfo info{};
    info.signo = signal;
    info.code = abi::signals::SI_KERNEL;
    return info;
}

bool PendingSignals::add(int signal, const Info& info, u64 limit) {
    using namespace abi::signals;
    const u64 bit = abi::signals::bit(signal);
    if (signal < first_realtime && (m_mask & bit)) {
        return true; // already waiting: the second is lost, as on Linux
    }
    // Over the limit still: a standard signal from the kernel or kill(),
    // and a POSIX timer's (Linux's timer owns its entry, made with it).
    const bool exempt = info.code == SI_TIMER || (signal < first_realtime && info.code >= 0);
    const u64 queued = __atomic_add_fetch(&queued_entries, 1, __ATOMIC_RELAXED);
    auto* entry = exempt || queued <= limit ? static_cast<Entry*>(kmalloc(sizeof(Entry))) : nullptr;
    if (!entry) {
        __atomic_fetch_sub(&queued_entries, 1, __ATOMIC_RELAXED);
        if (signal >= first_realtime && info.code != SI_USER && info.code != SI_KERNEL) {
            return false;
        }
        m_mask |= bit; // waits without its siginfo
        return true;
    }
    m_mask |= bit;
    entry->next = nullptr;
    entry->info = info;
    entry->info.signo = signal;
    Entry** link = &m_head;
    while (*link) {
        link = &(*link)->next;
    }
    *link = entry;
    return true;
}

void PendingSignals::take(int signal, Info& info) {
    const u64 bit = abi::signals::bit(signal);
    // A signal that waits without its siginfo reads as Linux's
    // collect_signal gives it: SI_USER, from pid and uid 0.
    info = Info{};
    info.signo = signal;
    info.code = abi::signals::SI_USER;
    bool found = false;
    bool more = false;
    for (Entry** link = &m_head; *link;) {
        Entry* entry = *link;
        if (entry->info.signo != signal) {
            link = &entry->next;
            continue;
        }
        if (found) {
            more = true;
            break;
        }
        info = entry->info;
        found = true;
        *link = entry->next;
        free_entry(entry);
    }
    if (!more) {
        m_mask &= ~bit;
    }
}

void PendingSignals::clear(u64 signals) {
    m_mask &= ~signals;
    for (Entry** link = &m_head; *link;) {
        Entry* entry = *link;
        if (signals & abi::signals::bit(entry->info.signo)) {
            *link = entry->next;
            free_entry(entry);
        } else {
            link = &entry->next;
        }
    }
}

} // namespace kite
