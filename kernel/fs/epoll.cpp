// epoll.cpp: see epoll.h.
#include "fs/epoll.h"

#include "api/constants.h"
#include "fs/poll_wait.h"
#include "sync/mutex.h"

namespace kite {

struct EpollItem;

namespace {

class EpollInstance;

// Two-way links, for a list an entry leaves from the middle.
struct Link {
    EpollItem* prev = nullptr;
    EpollItem* next = nullptr;
};

} // namespace

// One watched file of one instance. Owned by its instance's entry list:
// made by an add, freed by a delete, its file's end or the instance's.
struct EpollItem {
    EpollInstance* owner = nullptr;
    OpenFile* file = nullptr; // not a reference: ~OpenFile removes the entry first
    int fd = -1;
    u32 events = 0; // asked, with EPOLLERR|EPOLLHUP and the private bits; none once a oneshot fired
    u64 data = 0;
    // What the last look saw (edge-triggered entries compare with it).
    u32 last_ready = 0;
    u64 last_count = 0;
    bool pending = false; // edge-triggered: an edge not yet reported
    bool fresh = true;    // just added or modified: readiness now is an edge
    bool listed_ready = false;
    EpollItem* next_for_file = nullptr; // OpenFile::epoll_items
    Link in_all;
    Link in_ready;
};

namespace {

Mutex epoll_lock{"epoll", LockRank::Epoll};
constexpr const char* epoll_kind = "[eventpoll]";
// Linux's EP_MAX_NESTS: how deep epolls may watch epolls.
constexpr int max_nesting = 4;

template <Link EpollItem::*L>
class ItemList {
  public:
    [[nodiscard]] EpollItem* first() const { return m_head; }
    [[nodiscard]] static EpollItem* next(const EpollItem* item) { return (item->*L).next; }
    [[nodiscard]] bool is_empty() const { return !m_head; }
    void push_back(EpollItem* item) {
        (item->*L).prev = m_tail;
        (item->*L).next = nullptr;
        (m_tail ? (m_tail->*L).next : m_head) = item;
        m_tail = item;
    }
    void remove(EpollItem* item) {
        Link& link = item->*L;
        (link.prev ? (link.prev->*L).next : m_head) = link.next;
        (link.next ? (link.next->*L).prev : m_tail) = link.prev;
        link = {};
    }
    // Appends every entry of other, which ends empty.
    void splice(ItemList& other) {
        if (!other.m_head) {
            return;
        }
        (other.m_head->*L).prev = m_tail;
        (m_tail ? (m_tail->*L).next : m_head) = other.m_head;
        m_tail = other.m_tail;
        other.m_head = other.m_tail = nullptr;
    }
    void take(ItemList& other) {
        m_head = other.m_head;
        m_tail = other.m_tail;
        other.m_head = other.m_tail = nullptr;
    }

  private:
    EpollItem* m_head = nullptr;
    EpollItem* m_tail = nullptr;
};

// Takes the epoll lock, unless this thread holds it already: an instance
// asked for its readiness by an instance that watches it.
class [[nodiscard]] EpollGuard : NonCopyable {
  public:
    EpollGuard() : m_taken(!epoll_lock.is_held()) {
        if (m_taken) {
            epoll_lock.lock();
        }
    }
    ~EpollGuard() {
        if (m_taken) {
            epoll_lock.unlock();
        }
    }

  private:
    bool m_taken;
};

// What one look at an entry finds, before anything is changed.
struct Look {
    u32 ready; // of what the entry asks
    u64 count; // the vnode's event count
    bool reportable;
};

Look look_at(const EpollItem& item) {
    const u32 asked = item.events & ~abi::epoll_private_bits;
    if (asked == 0) {
        return {0, item.last_count, false}; // a oneshot that fired, or nothing asked
    }
    Vnode& vnode = *item.file->vnode();
    const u32 ready = vnode.poll_ready() & asked;
    const u64 count = vnode.poll_event_count();
    if (!(item.events & abi::EPOLLET)) {
        return {ready, count, ready != 0};
    }
    const bool edge =
        ready != 0 && (item.fresh || count != item.last_count || (ready & ~item.last_ready));
    return {ready, count, ready != 0 && (item.pending || edge)};
}

class EpollInstance final : public Vnode {
  public:
    EpollInstance() : Vnode(VnodeType::Anonymous, 0600) {}
    ~EpollInstance() override {
        MutexGuard guard(epoll_lock);
        while (EpollItem* item = m_all.first()) {
            remove_locked(item);
        }
    }

    const char* anonymous_kind() const override { return epoll_kind; }
    bool is_seekable() const override { return false; }
    // Readable while an entry has an event to report (nothing is consumed).
    u32 poll_ready() override {
        EpollGuard guard;
        return has_events_locked() ? abi::POLLIN | abi::POLLRDNORM : 0;
    }

    [[nodiscard]] EpollItem* find_locked(const OpenFile* file, int fd) const {
        for (EpollItem* item = m_all.first(); item; item = decltype(m_all)::next(item)) {
            if (item->file == file && item->fd == fd) {
                return item;
            }
        }
        return nullptr;
    }

    [[nodiscard]] ErrorOr<void> add_locked(OpenFile& file, int fd, u32 events, u64 data) {
        auto* item = new EpollItem;
        if (!item) {
            return Error(Errno::NOMEM, "out of memory");
        }
        item->owner = this;
        item->file = &file;
        item->fd = fd;
        item->events = events;
        item->data = data;
        m_all.push_back(item);
        item->next_for_file = file.epoll_items;
        file.epoll_items = item;
        make_ready_candidate(item);
        return {};
    }

    void modify_locked(EpollItem* item, u32 events, u64 data) {
        item->events = events;
        item->data = data;
        item->fresh = true; // as Linux's ep_modify: ready now is reported again
        item->pending = false;
        make_ready_candidate(item);
    }

    // Takes the entry out of every list and frees it.
    void remove_locked(EpollItem* item) {
        m_all.remove(item);
        if (item->listed_ready) {
            m_ready.remove(item);
        }
        for (EpollItem** at = &item->file->epoll_items; *at; at = &(*at)->next_for_file) {
            if (*at == item) {
                *at = item->next_for_file;
                break;
            }
        }
        delete item;
    }

    // epoll_wait's look: the ready list alone while no notify() came since
    // the last look, every entry otherwise. Entries reported go to the back
    // of the ready list, so that with more ready than max the others get
    // their turn next time.
    [[nodiscard]] usize collect_locked(abi::EpollEvent* out, usize max) {
        ItemList<&EpollItem::in_ready> to_look;
        const bool everything = start_look(to_look);
        ItemList<&EpollItem::in_ready> waiting;
        ItemList<&EpollItem::in_ready> reported;
        usize count = 0;
        auto visit = [&](EpollItem* item) {
            const Look look = look_at(*item);
            const bool edge_triggered = item->events & abi::EPOLLET;
            item->fresh = false;
            item->last_ready = look.ready;
            item->last_count = look.count;
            item->pending = edge_triggered && look.reportable;
            item->listed_ready = false;
            if (look.reportable && count < max) {
                out[count++] = {look.ready, item->data};
                item->pending = false;
                if (item->events & abi::EPOLLONESHOT) {
                    item->events &= abi::epoll_private_bits; // disarmed until a MOD
                    return;
                }
                if (!edge_triggered) {
                    item->listed_ready = true;
                    reported.push_back(item);
                }
                return;
            }
            // An edge-triggered entry that is ready but reported needs no
            // look until something notifies.
            if (look.reportable || (look.ready != 0 && !edge_triggered)) {
                item->listed_ready = true;
                waiting.push_back(item);
            }
        };
        if (everything) {
            for (EpollItem* item = m_all.first(); item; item = decltype(m_all)::next(item)) {
                visit(item);
            }
        } else {
            while (EpollItem* item = to_look.first()) {
                to_look.remove(item);
                visit(item);
            }
        }
        m_ready.splice(waiting);
        m_ready.splice(reported);
        return count;
    }

    // The check of poll_ready: any entry with an event to report, with
    // nothing changed. Instances nest at most max_nesting deep (control
    // refuses more), which bounds the recursion through poll_ready.
    [[nodiscard]] bool has_events_locked() const {
        const bool everything = poll_wait::generation() != m_looked_generation;
        if (everything) {
            for (EpollItem* item = m_all.first(); item; item = decltype(m_all)::next(item)) {
                if (look_at(*item).reportable) {
                    return true;
                }
            }
            return false;
        }
        for (EpollItem* item = m_ready.first(); item; item = decltype(m_ready)::next(item)) {
            if (look_at(*item).reportable) {
                return true;
            }
        }
        return false;
    }

    // How deep instances go below this one (1: it watches no instance), or
    // -1 if `target` is among them.
    [[nodiscard]] int depth_locked(const EpollInstance* target) const {
        if (this == target) {
            return -1;
        }
        int deepest = 1;
        for (EpollItem* item = m_all.first(); item; item = decltype(m_all)::next(item)) {
            Vnode& vnode = *item->file->vnode();
            if (vnode.anonymous_kind() == epoll_kind) {
                const int below = static_cast<const EpollInstance&>(vnode).depth_locked(target);
                if (below < 0) {
                    return -1;
                }
                deepest = max(deepest, below + 1);
            }
        }
        return deepest;
    }

  private:
    // An entry the next look must see, whether or not anything notifies.
    void make_ready_candidate(EpollItem* item) {
        if (!item->listed_ready) {
            item->listed_ready = true;
            m_ready.push_back(item);
        }
    }
    // Takes the ready list into to_look; true if every entry must be looked
    // at instead (the ready list is then emptied).
    bool start_look(ItemList<&EpollItem::in_ready>& to_look) {
        const u64 generation = poll_wait::generation();
        const bool everything = generation != m_looked_generation;
        m_looked_generation = generation;
        to_look.take(m_ready);
        if (everything) {
            while (EpollItem* item = to_look.first()) {
                to_look.remove(item);
                item->listed_ready = false;
            }
        }
        return everything;
    }

    ItemList<&EpollItem::in_all> m_all;
    ItemList<&EpollItem::in_ready> m_ready;
    u64 m_looked_generation = ~u64{0}; // the first look sees everything
};

} // namespace

namespace epoll {

ErrorOr<RefPtr<Vnode>> create() {
    auto instance = TRY(try_make_ref<EpollInstance>());
    return RefPtr<Vnode>(instance);
}

bool is_epoll(const Vnode& vnode) {
    return vnode.anonymous_kind() == epoll_kind;
}

ErrorOr<void> control(Vnode& epoll, int op, int fd, const RefPtr<OpenFile>& file,
                      const abi::EpollEvent& event) {
    auto& instance = static_cast<EpollInstance&>(epoll);
    // Errors and hang-ups are always watched, as Linux's ep_insert.
    const u32 events = event.events | abi::POLLERR | abi::POLLHUP;
    MutexGuard guard(epoll_lock);
    if (op == abi::EPOLL_CTL_ADD && is_epoll(*file->vnode())) {
        const int below = static_cast<EpollInstance&>(*file->vnode()).depth_locked(&instance);
        if (below < 0 || below >= max_nesting) {
            return Error(Errno::LOOP, "an epoll loop, or nested too deep");
        }
    }
    EpollItem* item = instance.find_locked(file.ptr(), fd);
    switch (op) {
    case abi::EPOLL_CTL_ADD:
        if (item) {
            return Error(Errno::EXIST, "already watched");
        }
        TRY(instance.add_locked(*file, fd, events, event.data));
        break;
    case abi::EPOLL_CTL_DEL:
        if (!item) {
            return Error(Errno::NOENT, "not watched");
        }
        instance.remove_locked(item);
        break;
    case abi::EPOLL_CTL_MOD:
        if (!item) {
            return Error(Errno::NOENT, "not watched");
        }
        if (item->events & abi::EPOLLEXCLUSIVE) {
            return Error(Errno::INVAL, "an EPOLLEXCLUSIVE entry cannot change");
        }
        instance.modify_locked(item, events, event.data);
        break;
    default:
        return Error(Errno::INVAL, "unknown epoll_ctl operation");
    }
    return {};
}

usize collect(Vnode& epoll, abi::EpollEvent* out, usize max) {
    MutexGuard guard(epoll_lock);
    return static_cast<EpollInstance&>(epoll).collect_locked(out, max);
}

void forget_file(OpenFile& file) {
    MutexGuard guard(epoll_lock);
    while (EpollItem* item = file.epoll_items) {
        item->owner->remove_locked(item);
    }
}

} // namespace epoll

} // namespace kite
