// pending_signals.cpp: see pending_signals.h.
#include "proc/pending_signals.h"

#include "api/signals.h"
#include "mm/kmalloc.h"

namespace kite {

namespace {
constexpr int first_realtime = 32;
} // namespace

abi::signals::SigInfo kernel_signal_info(int signal) {
    abi::signals::SigInfo info{};
    info.signo = signal;
    info.code = abi::signals::SI_KERNEL;
    return info;
}

bool PendingSignals::add(int signal, const Info& info) {
    const u64 bit = abi::signals::bit(signal);
    if (signal < first_realtime && (m_mask & bit)) {
        return true; // already waiting: the second is lost, as on Linux
    }
    if (signal >= first_realtime && m_queued >= max_queued) {
        return false;
    }
    m_mask |= bit;
    auto* entry = static_cast<Entry*>(kmalloc(sizeof(Entry)));
    if (!entry) {
        return true; // waits without its siginfo
    }
    entry->next = nullptr;
    entry->info = info;
    entry->info.signo = signal;
    Entry** link = &m_head;
    while (*link) {
        link = &(*link)->next;
    }
    *link = entry;
    ++m_queued;
    return true;
}

void PendingSignals::take(int signal, Info& info) {
    const u64 bit = abi::signals::bit(signal);
    info = kernel_signal_info(signal);
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
        kfree(entry);
        --m_queued;
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
            kfree(entry);
            --m_queued;
        } else {
            link = &entry->next;
        }
    }
}

} // namespace kite
