// virtio_blk.h: the virtio block device driver (virtio 1.0, 5.2): one
// request queue, up to `slots` requests in flight, completions from the
// device's (shared, legacy) interrupt. Disks are named vda, vdb... with
// Linux's numbers (major 254, 16 minors a disk).
#pragma once

namespace kite::virtio_blk {

// Claims every virtio block device on the PCI bus and adds its disk.
void probe();

} // namespace kite::virtio_blk
