// inactive_caches.cpp: see inactive_caches.h.
#include "fs/inactive_caches.h"

#include "debug/panic.h"
#include "lib/own_ptr.h"

namespace kite {

void InactiveCaches::park(u64 inode, RefPtr<PageCache> cache) {
    drop(inode);
    if (!cache || cache->page_count() == 0) {
        return;
    }
    VERIFY(cache->dirty_count() == 0);
    auto made = try_make<Entry>();
    if (made.is_error()) {
        return; // the cache goes: only a later read is slower
    }
    Entry* entry = made.release_value().leak(); // owned by the lists
    entry->inode = inode;
    entry->cache = move(cache);
    entry->hash_next = bucket(inode);
    bucket(inode) = entry;
    entry->older = m_newest;
    if (m_newest) {
        m_newest->newer = entry;
    } else {
        m_oldest = entry;
    }
    m_newest = entry;
    if (++m_count > limit) {
        (void)remove(m_oldest);
    }
}

RefPtr<PageCache> InactiveCaches::take(u64 inode) {
    for (Entry* entry = bucket(inode); entry; entry = entry->hash_next) {
        if (entry->inode == inode) {
            RefPtr<PageCache> cache = move(entry->cache);
            (void)remove(entry);
            return cache;
        }
    }
    return {};
}

usize InactiveCaches::remove(Entry* entry) {
    for (Entry** link = &bucket(entry->inode); *link; link = &(*link)->hash_next) {
        if (*link == entry) {
            *link = entry->hash_next;
            break;
        }
    }
    (entry->older ? entry->older->newer : m_oldest) = entry->newer;
    (entry->newer ? entry->newer->older : m_newest) = entry->older;
    --m_count;
    const usize pages = entry->cache ? entry->cache->page_count() : 0;
    OwnPtr<Entry> gone = OwnPtr<Entry>::adopt(entry); // and its cache reference with it
    return pages;
}

usize InactiveCaches::drop_oldest(usize pages) {
    usize freed = 0;
    while (m_oldest && freed < pages) {
        freed += remove(m_oldest);
    }
    return freed;
}

void InactiveCaches::drop_all() {
    while (m_oldest) {
        (void)remove(m_oldest);
    }
}

} // namespace kite
