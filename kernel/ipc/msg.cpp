// msg.cpp: see msg.h. One mutex guards the table and every queue; message
// text is copied in before it is taken and out after it is let go.
#include "ipc/msg.h"

#include "ipc/ipc_ids.h"
#include "lib/kbuffer.h"
#include "proc/process.h"
#include "sync/mutex.h"

namespace kite::ipc::msg {

namespace {

struct Message {
    i64 type = 0;
    KBuffer text; // the message's bytes (none for an empty message)
    u64 size = 0;
    Message* next = nullptr;
};

struct Queue {
    i32 id = 0;
    Permissions perm;
    i64 send_time = 0, receive_time = 0, change_time = 0;
    u64 bytes = 0;             // msg_cbytes
    u64 count = 0;             // msg_qnum
    u64 capacity = ABI_MSGMNB; // msg_qbytes
    i32 last_sender = 0, last_receiver = 0;
    Message* head = nullptr; // owned, in arrival order
    Message* tail = nullptr;
    WaitQueue senders;   // waiting for room
    WaitQueue receivers; // waiting for a message
    // A removed queue's sleepers are woken before it goes; they find the
    // id gone and answer EIDRM.
    ~Queue() {
        while (Message* message = head) {
            head = message->next;
            delete message;
        }
        senders.wake_all();
        receivers.wake_all();
    }
};

Mutex msg_lock{"sysv message queues", LockRank::SysvIpc};
IdTable<Queue> queues; // guarded by msg_lock

i32 current_pid() {
    return Process::current()->pid();
}

// The first message that msgrcv's type asks for, with the link that points
// to it; nullptr if none.
Message** find_message(Queue& queue, i64 type, bool except) {
    if (type == 0) {
        return queue.head ? &queue.head : nullptr;
    }
    if (type > 0) {
        for (Message** at = &queue.head; *at; at = &(*at)->next) {
            if (((*at)->type == type) != except) {
                return at;
            }
        }
        return nullptr;
    }
    constexpr i64 most = static_cast<i64>(~u64{0} >> 1);
    const i64 highest = type < -most ? most : -type; // LONG_MIN asks for any, as Linux
    Message** best = nullptr;
    for (Message** at = &queue.head; *at; at = &(*at)->next) {
        if ((*at)->type <= highest && (!best || (*at)->type < (*best)->type)) {
            best = at;
        }
    }
    return best;
}

} // namespace

ErrorOr<i64> get(i32 key, u32 flags) {
    MutexGuard guard(msg_lock);
    Queue* existing = nullptr;
    if (TRY(queues.get(key, flags, &existing)) == GetAction::Existing) {
        return existing->id;
    }
    auto queue = TRY(try_make<Queue>());
    queue->change_time = now_seconds();
    return TRY(queues.insert(move(queue), key, flags));
}

ErrorOr<i64> send(i32 id, u64 address, u64 size, u32 flags) {
    const i64 type = TRY(read_user<i64>({address}));
    if (size > ABI_MSGMAX || id < 0) {
        return Error(Errno::INVAL, "message too large");
    }
    if (type < 1) {
        return Error(Errno::INVAL, "message type below 1");
    }
    auto message = TRY(try_make<Message>());
    message->type = type;
    message->size = size;
    if (size > 0) {
        message->text = TRY(KBuffer::try_create(size));
        TRY(copy_from_user(message->text.data(), {address + sizeof(i64)}, size));
    }
    MutexGuard guard(msg_lock);
    Queue* queue = queues.find(id);
    if (!queue) {
        return Error(Errno::INVAL, "no such message queue");
    }
    // Room for the bytes, and for one more message (Linux counts messages
    // against msg_qbytes too, so empty messages cannot fill memory).
    while (queue->bytes + size > queue->capacity || queue->count + 1 > queue->capacity) {
        if (flags & ABI_IPC_NOWAIT) {
            return Error(Errno::AGAIN, "the queue is full");
        }
        const WaitResult result = queue->senders.wait(msg_lock);
        queue = queues.find(id);
        if (!queue) {
            return Error(Errno::IDRM, "the queue was removed");
        }
        if (result == WaitResult::Interrupted) {
            return Error(Errno::INTR, "msgsnd interrupted");
        }
    }
    Message* added = message.leak(); // owned by the queue
    (queue->tail ? queue->tail->next : queue->head) = added;
    queue->tail = added;
    queue->bytes += size;
    ++queue->count;
    queue->last_sender = current_pid();
    queue->send_time = now_seconds();
    queue->receivers.wake_all();
    return 0;
}

ErrorOr<i64> receive(i32 id, u64 address, u64 size, i64 type, u32 flags) {
    if (static_cast<i64>(size) < 0 || id < 0) {
        return Error(Errno::INVAL, "bad msgrcv arguments");
    }
    if (flags & ABI_MSG_COPY) {
        return Error(Errno::NOSYS, "MSG_COPY is for checkpoint/restore");
    }
    OwnPtr<Message> taken;
    {
        MutexGuard guard(msg_lock);
        Queue* queue = queues.find(id);
        if (!queue) {
            return Error(Errno::INVAL, "no such message queue");
        }
        for (;;) {
            if (Message** at = find_message(*queue, type, flags & ABI_MSG_EXCEPT)) {
                Message* message = *at;
                if (message->size > size && !(flags & ABI_MSG_NOERROR)) {
                    return Error(Errno::TOOBIG, "the message is larger than the buffer");
                }
                *at = message->next;
                if (queue->tail == message) {
                    queue->tail = nullptr;
                    for (Message* m = queue->head; m; m = m->next) {
                        queue->tail = m;
                    }
                }
                message->next = nullptr;
                taken = OwnPtr<Message>::adopt(message);
                queue->bytes -= message->size;
                --queue->count;
                queue->last_receiver = current_pid();
                queue->receive_time = now_seconds();
                queue->senders.wake_all();
                break;
            }
            if (flags & ABI_IPC_NOWAIT) {
                return Error(Errno::NOMSG, "no message of that type");
            }
            const WaitResult result = queue->receivers.wait(msg_lock);
            queue = queues.find(id);
            if (!queue) {
                return Error(Errno::IDRM, "the queue was removed");
            }
            if (result == WaitResult::Interrupted) {
                return Error(Errno::INTR, "msgrcv interrupted");
            }
        }
    }
    // Off the queue now: a bad buffer loses the message, as on Linux.
    const u64 length = min(taken->size, size);
    TRY(write_user<i64>({address}, taken->type));
    if (length > 0) {
        TRY(copy_to_user({address + sizeof(i64)}, taken->text.data(), length));
    }
    return static_cast<i64>(length);
}

ErrorOr<i64> control(i32 id, i32 command, u64 buffer) {
    if (command < 0 || id < 0) {
        return Error(Errno::INVAL, "bad msgctl arguments");
    }
    MutexGuard guard(msg_lock);
    if (command == ABI_IPC_INFO || command == ABI_MSG_INFO) {
        abi::MsgInfo info{};
        info.msgmax = ABI_MSGMAX;
        info.msgmnb = ABI_MSGMNB;
        info.msgmni = max_objects;
        info.msgssz = 16;
        info.msgseg = 0xffff;
        info.msgpool = ABI_MSGMNB * max_objects / 1024;
        info.msgmap = ABI_MSGMNB;
        info.msgtql = ABI_MSGMNB;
        if (command == ABI_MSG_INFO) {
            // Linux answers with use: queues, messages and their bytes.
            u64 messages = 0, bytes = 0;
            for (u32 index = 0; index < max_objects; ++index) {
                if (const Queue* queue = queues.at_index(index)) {
                    messages += queue->count;
                    bytes += queue->bytes;
                }
            }
            info.msgpool = static_cast<int>(queues.count());
            info.msgmap = static_cast<int>(messages);
            info.msgtql = static_cast<int>(bytes);
        }
        TRY(write_user({buffer}, info));
        return queues.highest_index();
    }
    Queue* queue =
        command == ABI_MSG_STAT ? queues.at_index(static_cast<u32>(id)) : queues.find(id);
    if (!queue) {
        return Error(Errno::INVAL, "no such message queue");
    }
    switch (command) {
    case ABI_IPC_STAT:
    case ABI_MSG_STAT: {
        abi::MsqidDs status{};
        status.msg_perm = queue->perm.to_abi();
        status.msg_stime = queue->send_time;
        status.msg_rtime = queue->receive_time;
        status.msg_ctime = queue->change_time;
        status.msg_cbytes = queue->bytes;
        status.msg_qnum = queue->count;
        status.msg_qbytes = queue->capacity;
        status.msg_lspid = queue->last_sender;
        status.msg_lrpid = queue->last_receiver;
        TRY(write_user({buffer}, status));
        return command == ABI_IPC_STAT ? 0 : queue->id;
    }
    case ABI_IPC_SET: {
        const auto wanted = TRY(read_user<abi::MsqidDs>({buffer}));
        // Root may raise msg_qbytes past MSGMNB (CAP_SYS_RESOURCE).
        queue->perm.set_from(wanted.msg_perm);
        queue->capacity = wanted.msg_qbytes;
        queue->change_time = now_seconds();
        queue->senders.wake_all();
        return 0;
    }
    case ABI_IPC_RMID: {
        OwnPtr<Queue> removed = queues.remove(queue); // frees its messages, wakes sleepers
        return 0;
    }
    default:
        return Error(Errno::INVAL, "unknown msgctl command");
    }
}

} // namespace kite::ipc::msg
