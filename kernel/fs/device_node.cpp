// device_node.cpp: see device_node.h. The device is found at the first
// open and kept: the devices of /dev live as long as the kernel.
#include "fs/device_node.h"

#include "fs/devfs.h"
#include "sync/mutex.h"

namespace kite {

namespace {

class DeviceNode final : public Vnode {
  public:
    DeviceNode(VnodeType type, u32 permissions, u64 number)
        : Vnode(type, permissions), m_number(number) {}

    u64 device_number() const override { return m_number; }
    ErrorOr<u64> opened(u32 flags) override {
        RefPtr<Vnode> device = TRY(target());
        return device->opened(flags);
    }
    void closed(u32 flags) override {
        if (RefPtr<Vnode> device = found()) {
            device->closed(flags);
        }
    }
    // Everything else goes to the device, once an open has found it; a
    // node that was never opened has none (reads and writes come through
    // open files, so only stat-like calls reach a node unopened).
    ErrorOr<usize> read(u64 offset, const IoBuffer& to, usize length) override {
        return read_with_flags(offset, to, length, 0);
    }
    ErrorOr<usize> write(u64 offset, const IoBuffer& from, usize length) override {
        return write_with_flags(offset, from, length, 0);
    }
    ErrorOr<usize> read_with_flags(u64 offset, const IoBuffer& to, usize length,
                                   u32 flags) override {
        return TRY(target())->read_with_flags(offset, to, length, flags);
    }
    ErrorOr<usize> write_with_flags(u64 offset, const IoBuffer& from, usize length,
                                    u32 flags) override {
        return TRY(target())->write_with_flags(offset, from, length, flags);
    }
    ErrorOr<i64> ioctl(u64 request, UserAddress argument) override {
        return TRY(target())->ioctl(request, argument);
    }
    u32 poll_ready() override {
        const RefPtr<Vnode> device = found();
        return device ? device->poll_ready() : Vnode::poll_ready();
    }
    bool is_seekable() const override {
        const RefPtr<Vnode> device = found();
        return device ? device->is_seekable() : true;
    }

  private:
    [[nodiscard]] RefPtr<Vnode> found() const {
        MutexGuard guard(m_lock);
        return m_device;
    }
    // The search walks /dev under the namespace lock, which ranks before
    // this node's lock: it runs unlocked, and two racing finders store the
    // same device.
    [[nodiscard]] ErrorOr<RefPtr<Vnode>> target() {
        if (RefPtr<Vnode> device = found()) {
            return device;
        }
        RefPtr<Vnode> device = devfs::find_device(m_number, type());
        if (!device) {
            return Error(Errno::NXIO, "no such device");
        }
        MutexGuard guard(m_lock);
        m_device = device;
        return device;
    }

    u64 m_number;
    mutable Mutex m_lock{"device node", LockRank::FileData};
    RefPtr<Vnode> m_device;
};

} // namespace

ErrorOr<RefPtr<Vnode>> create_device_node(VnodeType type, u32 permissions, u64 number) {
    return RefPtr<Vnode>(TRY(try_make_ref<DeviceNode>(type, permissions, number)));
}

} // namespace kite
