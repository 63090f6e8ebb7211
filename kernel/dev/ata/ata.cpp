// ata.cpp: see ata.h. Finds the controller and its channels' ports,
// identifies the drives and makes each ATA disk a block device whose
// requests go to its channel's queue.
#include "dev/ata/ata.h"

#include "boot/boot_info.h"
#include "boot/command_line.h"
#include "console/console.h"
#include "dev/ata/ata_channel.h"
#include "dev/ata/ata_registers.h"
#include "dev/pci.h"
#include "interrupts/irq.h"

namespace kite::ata {

namespace {

constexpr u8 class_storage = 0x01;
constexpr u8 subclass_ide = 0x01;
// Programming interface: a channel in native mode has its ports in BARs
// and uses the PCI interrupt; otherwise it is at the legacy ports.
constexpr u8 primary_native = 1 << 0;
constexpr u8 secondary_native = 1 << 2;
constexpr u8 bus_master_capable = 1 << 7;

constexpr u64 scsi_disk_major = 8; // Linux's sd: sda is 8:0, sdb 8:16
constexpr u32 minors_per_disk = 16;

class AtaDisk final : public BlockDevice {
  public:
    AtaDisk(const char* name, u64 sectors, u64 number, Channel& channel, Drive drive)
        : BlockDevice(name, sectors, false, number), m_channel(channel), m_drive(drive) {}

  private:
    ErrorOr<void> start(BlockRequest& request) override {
        m_channel.queue(request, m_drive);
        return {};
    }
    Channel& m_channel;
    Drive m_drive;
};

// The controller's two channels, used from probe on for as long as the
// kernel runs (the driver is never unloaded).
Channel channels[2];

pci::Device* find_controller() {
    for (usize i = 0; i < pci::device_count(); ++i) {
        pci::Device& device = pci::device_at(i);
        if (device.class_code == class_storage && device.subclass == subclass_ide) {
            return &device;
        }
    }
    return nullptr;
}

ErrorOr<Channel::Ports> channel_ports(const pci::Device& device, u32 index) {
    if (!(device.prog_if & (index == 0 ? primary_native : secondary_native))) {
        return index == 0 ? Channel::Ports{primary_command, primary_control, 0, primary_irq}
                          : Channel::Ports{secondary_command, secondary_control, 0, secondary_irq};
    }
    const pci::Bar& command = device.bars[2 * index];
    const pci::Bar& control = device.bars[2 * index + 1];
    if (!command.io || !control.io || command.base == 0 || control.base == 0 ||
        command.base > 0xFFF8 || control.base > 0xFFFC) {
        return Error(Errno::NODEV, "native-mode channel without I/O ports");
    }
    if (device.interrupt_pin == 0 || device.interrupt_line >= irq::line_count) {
        return Error(Errno::NODEV, "native-mode channel without a legacy interrupt");
    }
    return Channel::Ports{static_cast<u16>(command.base),
                          static_cast<u16>(control.base + native_control_offset), 0,
                          device.interrupt_line};
}

// The channel's bus-master registers in BAR4, if the controller has them
// (prog-if bit 7) and DMA is not turned off: libata.dma=0 on the command
// line, as on Linux, keeps every transfer PIO.
u16 bus_master_ports(const pci::Device& device, u32 index) {
    StringView option;
    if (command_line_option(kernel_command_line(), "libata.dma", option) && option == "0") {
        return 0;
    }
    const pci::Bar& bar = device.bars[4];
    if (!(device.prog_if & bus_master_capable) || !bar.io || bar.base == 0 || bar.base > 0xFFF0) {
        return 0;
    }
    return static_cast<u16>(bar.base + index * bus_master::channel_stride);
}

// Identifies both positions of a channel and, if it has disks, starts it
// and adds them (their partition tables are read through the channel).
void attach_channel(Channel& channel, u32 index, u32& disks) {
    struct Found {
        DriveInfo info;
        u8 position;
    };
    Found found[2];
    u32 count = 0;
    for (u8 position = 0; position < 2; ++position) {
        auto info = channel.identify(position);
        if (info.is_error()) {
            if (info.error().code() != Errno::NXIO) {
                kprintln("ata{}.0{}: {}", index + 1, position, info.error().what());
            }
            continue;
        }
        found[count++] = {info.release_value(), position};
    }
    if (count == 0) {
        return;
    }
    auto started = channel.start();
    if (started.is_error()) {
        kprintln("ata{}: {}", index + 1, started.error().what());
        return;
    }
    for (u32 i = 0; i < count; ++i) {
        const Found& f = found[i];
        const char name[] = {'s', 'd', static_cast<char>('a' + disks), '\0'};
        const Drive drive{f.position, f.info.lba48, f.info.dma && channel.has_dma(),
                          f.info.flush_command};
        auto disk = try_make_ref<AtaDisk>(name, f.info.sectors,
                                          (scsi_disk_major << 8) | (disks * minors_per_disk),
                                          channel, drive);
        if (disk.is_error()) {
            kprintln("ata{}.0{}: out of memory", index + 1, f.position);
            continue;
        }
        // As Linux's "ata1.00: 32768 sectors, multi 16: LBA48" line.
        kprintln("ata{}.0{}: {}, {} sectors, {}, {}: {}", index + 1, f.position, f.info.model,
                 f.info.sectors, f.info.lba48 ? "LBA48" : "LBA", drive.dma ? "DMA" : "PIO", name);
        ++disks;
        block_devices::add_disk(disk.release_value());
    }
}

} // namespace

void probe() {
    pci::Device* device = find_controller();
    if (!device) {
        return;
    }
    Channel::Ports ports[2];
    bool usable[2];
    for (u32 i = 0; i < 2; ++i) {
        auto p = channel_ports(*device, i);
        usable[i] = !p.is_error();
        if (usable[i]) {
            ports[i] = p.value();
            ports[i].bus_master = bus_master_ports(*device, i);
        } else {
            kprintln("ata{}: {}", i + 1, p.error().what());
        }
    }
    device->enable(); // the I/O ports of a native-mode channel
    device->driver = "ata_piix";
    u32 disks = 0;
    for (u32 i = 0; i < 2; ++i) {
        if (!usable[i]) {
            continue;
        }
        channels[i].init(static_cast<u8>(i + 1), ports[i]);
        if (channels[i].present()) {
            attach_channel(channels[i], i, disks);
        }
    }
}

} // namespace kite::ata
