// ata_channel.cpp: see ata_channel.h. The protocols are ATA8-APT's PIO
// data-in (reads: an interrupt before each sector) and data-out (writes:
// the first sector when the drive sets DRQ, then an interrupt after each,
// the last one meaning the command is over), non-data (flush), and DMA
// (SFF-8038i bus mastering: the controller moves the data through a table
// of physical regions and interrupts once, at the end).
#include "dev/ata/ata_channel.h"

#include "arch/x86_64/cpu.h"
#include "console/console.h"
#include "dev/ata/ata_registers.h"
#include "interrupts/irq.h"
#include "mm/direct_map.h"
#include "mm/physical.h"
#include "time/clock.h"

namespace kite::ata {

namespace {

constexpr u64 ms = 1'000'000;
// A drive answers IDENTIFY in microseconds once it spins; Linux allows a
// transfer 30 s before it resets the link, and so does this driver.
constexpr u64 identify_timeout_ns = 3000 * ms;
constexpr u64 command_timeout_ns = 30'000 * ms;
constexpr u64 reset_timeout_ns = 31'000 * ms;
constexpr u32 words_per_sector = sector_size / 2;
constexpr u64 dma_limit = u64{1} << 32; // PRD addresses are 32 bits

} // namespace

void Channel::init(u8 number, Ports ports) {
    m_number = number;
    m_ports = ports;
    m_control = control::interrupts_off;
    cpu::outb(m_ports.control, m_control);
}

bool Channel::present() const {
    return cpu::inb(m_ports.command + reg::status) != 0xFF;
}

u8 Channel::alternate_status() const {
    return cpu::inb(m_ports.control);
}

// Each port read takes at least 100 ns on the ISA-timed bus.
void Channel::delay_400ns() const {
    for (int i = 0; i < 4; ++i) {
        (void)alternate_status();
    }
}

ErrorOr<u8> Channel::wait_not_busy(u64 timeout_ns) const {
    // The alternate status, which acknowledges nothing. A drive is usually
    // done within the first reads; after that the thread sleeps a
    // millisecond between looks.
    const u64 deadline = clock::monotonic_ns() + timeout_ns;
    for (u32 reads = 0;; ++reads) {
        const u8 s = alternate_status();
        if (!(s & status::busy)) {
            return s;
        }
        if (reads >= 1000) {
            if (clock::monotonic_ns() >= deadline) {
                return Error(Errno::TIMEDOUT, "drive stays busy");
            }
            Scheduler::sleep_ns(ms);
        }
    }
}

void Channel::select(u8 position) {
    if (m_selected == position) {
        return;
    }
    cpu::outb(m_ports.command + reg::device,
              static_cast<u8>(device_obsolete | (position ? device_slave : 0)));
    delay_400ns(); // before the newly selected drive's status means anything
    m_selected = position;
}

void Channel::load(const Taskfile& t, u8 position) {
    const u16 base = m_ports.command;
    if (t.lba48) {
        // The high bytes first: each register keeps its previous value.
        cpu::outb(base + reg::count, t.count[1]);
        cpu::outb(base + reg::lba_low, t.lba[3]);
        cpu::outb(base + reg::lba_mid, t.lba[4]);
        cpu::outb(base + reg::lba_high, t.lba[5]);
    }
    cpu::outb(base + reg::count, t.count[0]);
    cpu::outb(base + reg::lba_low, t.lba[0]);
    cpu::outb(base + reg::lba_mid, t.lba[1]);
    cpu::outb(base + reg::lba_high, t.lba[2]);
    cpu::outb(base + reg::device,
              static_cast<u8>(device_obsolete | (position ? device_slave : 0) | t.device));
}

ErrorOr<DriveInfo> Channel::identify(u8 position) {
    select(position);
    load(plain(command::identify_device), position);
    cpu::outb(m_ports.command + reg::command, command::identify_device);
    delay_400ns();
    // No drive: an empty position reads 0 (QEMU, pulled-down buses) or
    // 0xFF (a floating bus; BSY would seem set for ever).
    const u8 first = alternate_status();
    if (first == 0 || first == 0xFF) {
        return Error(Errno::NXIO, "no drive");
    }
    const u8 s = TRY(wait_not_busy(identify_timeout_ns));
    // A packet device aborts IDENTIFY DEVICE and leaves its signature.
    const u8 mid = cpu::inb(m_ports.command + reg::lba_mid);
    const u8 high = cpu::inb(m_ports.command + reg::lba_high);
    (void)cpu::inb(m_ports.command + reg::status); // no interrupt left pending
    if (mid == atapi_signature[0] && high == atapi_signature[1]) {
        return Error(Errno::NODEV, "ATAPI device (skipped)");
    }
    if (mid == sata_signature[0] && high == sata_signature[1]) {
        return Error(Errno::NODEV, "SATA bridge without legacy emulation (skipped)");
    }
    if (s & (status::error | status::device_fault) || !(s & status::data_request)) {
        return Error(Errno::NODEV, "drive refused IDENTIFY");
    }
    IdentifyData data;
    cpu::insw(m_ports.command + reg::data, data.words, words_per_sector);
    (void)cpu::inb(m_ports.command + reg::status);
    return parse_identify(data);
}

ErrorOr<void> Channel::start() {
    if (m_ports.bus_master) {
        auto frame = physical::allocate(0);
        if (!frame.is_error() && frame.value().value() + page_size <= dma_limit) {
            m_prd_table = frame.value(); // the channel's for as long as the kernel runs
        } else {
            if (!frame.is_error()) {
                physical::free(frame.value(), 0);
            }
            m_ports.bus_master = 0;
        }
    }
    // add_shared for the ISA lines 14 and 15 as well: it hands the handler
    // its channel, and nothing else uses those lines.
    if (!irq::add_shared(m_ports.irq, interrupt, this)) {
        return Error(Errno::BUSY, "interrupt line has too many devices");
    }
    char name[] = {'a', 't', 'a', static_cast<char>('0' + m_number), '\0'};
    TRY(Thread::create(
        name, [](void* channel) { static_cast<Channel*>(channel)->run(); }, this));
    m_control = 0;
    cpu::outb(m_ports.control, m_control);
    return {};
}

void Channel::queue(BlockRequest& request, Drive drive) {
    SpinlockGuard guard(m_lock);
    while (m_queued == queue_size) {
        (void)m_room.wait(m_lock, 0, Interruptible::No);
    }
    m_queue[(m_head + m_queued) % queue_size] = {&request, drive};
    ++m_queued;
    m_work.wake_one();
}

void Channel::run() {
    for (;;) {
        Queued next;
        {
            SpinlockGuard guard(m_lock);
            while (m_queued == 0) {
                (void)m_work.wait(m_lock, 0, Interruptible::No);
            }
            next = m_queue[m_head];
            m_head = (m_head + 1) % queue_size;
            --m_queued;
            m_room.wake_one();
        }
        next.request->completion.complete(perform(next));
    }
}

Errno Channel::perform(const Queued& queued) {
    BlockRequest& request = *queued.request;
    if (request.op == BlockRequest::Op::Flush) {
        if (queued.drive.flush_command == 0) {
            return Errno(0); // a drive without a cache to flush
        }
        return execute(queued.drive, plain(queued.drive.flush_command), Transfer{});
    }
    const bool writing = request.op == BlockRequest::Op::Write;
    // DMA reaches only the first 4 GiB; PIO goes through the direct map.
    const bool dma = queued.drive.dma && request.memory.value() + request.bytes <= dma_limit;
    u64 lba = request.sector;
    u32 left = request.bytes / sector_size;
    PhysAddr memory = request.memory;
    while (left > 0) {
        const u32 sectors = min(left, max_sectors_per_command);
        const Taskfile taskfile = read_write(writing, lba, sectors, queued.drive.lba48, dma);
        const Errno status =
            execute(queued.drive, taskfile, Transfer{writing, dma, memory, sectors});
        if (status != Errno(0)) {
            return status;
        }
        lba += sectors;
        left -= sectors;
        memory = PhysAddr(memory.value() + sectors * sector_size);
    }
    return Errno(0);
}

void Channel::fill_prd_table(PhysAddr memory, u32 bytes) {
    // No region may cross a 64 KiB boundary: a command's 64 KiB take two
    // regions at most.
    PrdEntry* table = phys_to_virt<PrdEntry>(m_prd_table);
    u64 address = memory.value();
    u32 count = 0;
    while (bytes > 0) {
        const u32 room = static_cast<u32>(0x10000 - (address & 0xFFFF));
        const u32 n = min(bytes, room);
        table[count++] = {static_cast<u32>(address), static_cast<u16>(n & 0xFFFF), 0};
        address += n;
        bytes -= n;
    }
    table[count - 1].flags = prd_last;
}

void Channel::stop_dma() {
    cpu::outb(m_ports.bus_master + bus_master::command, 0);
    cpu::outb(m_ports.bus_master + bus_master::status,
              bus_master::status_interrupt | bus_master::status_error);
}

Errno Channel::execute(Drive drive, const Taskfile& taskfile, const Transfer& transfer) {
    // Only this thread writes the registers; the interrupt handler reads
    // the status, and touches the data or DMA registers only while the
    // command is in phase Interrupts or Dma. Between commands the drives are neither busy nor
    // asking for data, so selecting one is allowed.
    const bool writing = transfer.writing;
    select(drive.position);
    if (wait_not_busy(command_timeout_ns).is_error()) {
        reset();
        return Errno::IO;
    }
    const u8 direction = writing ? 0 : bus_master::to_memory;
    if (transfer.dma) {
        fill_prd_table(transfer.memory, transfer.sectors * sector_size);
        cpu::outl(m_ports.bus_master + bus_master::table, static_cast<u32>(m_prd_table.value()));
        cpu::outb(m_ports.bus_master + bus_master::status,
                  bus_master::status_interrupt | bus_master::status_error);
        cpu::outb(m_ports.bus_master + bus_master::command, direction);
    }
    load(taskfile, drive.position);
    {
        SpinlockGuard guard(m_lock);
        const Phase phase = transfer.dma ? Phase::Dma
                            : writing    ? Phase::FirstWrite
                                         : Phase::Interrupts;
        m_command = {phase, writing, transfer.sectors ? phys_to_virt<u8>(transfer.memory) : nullptr,
                     transfer.sectors, Errno(0)};
        cpu::outb(m_ports.command + reg::command, taskfile.command);
        if (transfer.dma) {
            cpu::outb(m_ports.bus_master + bus_master::command,
                      static_cast<u8>(direction | bus_master::start));
        }
    }
    if (writing && !transfer.dma) {
        // Data-out: the drive asks for the first sector by DRQ alone.
        delay_400ns();
        auto s = wait_not_busy(command_timeout_ns);
        SpinlockGuard guard(m_lock);
        if (s.is_error() || (s.value() & (status::error | status::device_fault)) ||
            !(s.value() & status::data_request)) {
            m_command.phase = Phase::Idle;
            return Errno::IO; // the drive refused the command (or never answered)
        }
        cpu::outsw(m_ports.command + reg::data, m_command.data, words_per_sector);
        m_command.data += sector_size;
        --m_command.left;
        m_command.phase = Phase::Interrupts;
    }
    bool timed_out = false;
    Errno result = Errno::IO;
    {
        SpinlockGuard guard(m_lock);
        const u64 deadline = clock::monotonic_ns() + command_timeout_ns;
        while (m_command.phase != Phase::Done) {
            const u64 now = clock::monotonic_ns();
            if (now >= deadline) {
                timed_out = true;
                break;
            }
            (void)m_end.wait(m_lock, deadline - now, Interruptible::No);
        }
        if (!timed_out) {
            result = m_command.status;
        }
        m_command.phase = Phase::Idle; // the handler leaves the drive alone from here
    }
    if (timed_out) {
        kprintln("ata{}: drive {} timed out (command {:02x}); resetting the channel", m_number,
                 drive.position, taskfile.command);
        reset();
    }
    return result;
}

void Channel::interrupt(void* context) {
    auto* channel = static_cast<Channel*>(context);
    SpinlockGuard guard(channel->m_lock);
    channel->interrupt_locked();
}

void Channel::interrupt_locked() {
    // Reading the status acknowledges the drive's interrupt, also one no
    // command waits for (an edge-triggered ISA line would stay quiet if
    // the drive's were left asserted).
    const u8 s = cpu::inb(m_ports.command + reg::status);
    Command& c = m_command;
    if (c.phase == Phase::Dma) {
        dma_interrupt_locked(s);
        return;
    }
    if (c.phase != Phase::Interrupts || (s & status::busy)) {
        return; // nothing waits for it, or (a shared line) not this drive yet
    }
    if (s & (status::error | status::device_fault)) {
        finish_locked(Errno::IO);
        return;
    }
    if (c.left == 0) {
        finish_locked(Errno(0)); // a write's last sector was taken, or a flush ended
        return;
    }
    if (!(s & status::data_request)) {
        return; // not this channel's interrupt (a shared line)
    }
    if (c.writing) {
        cpu::outsw(m_ports.command + reg::data, c.data, words_per_sector);
    } else {
        cpu::insw(m_ports.command + reg::data, c.data, words_per_sector);
    }
    c.data += sector_size;
    --c.left;
    if (!c.writing && c.left == 0) {
        // Data-in ends with the last sector read: no interrupt follows.
        const u8 after = alternate_status();
        finish_locked(after & (status::error | status::device_fault) ? Errno::IO : Errno(0));
    }
}

void Channel::dma_interrupt_locked(u8 drive_status) {
    const u8 bm = cpu::inb(m_ports.bus_master + bus_master::status);
    if (!(bm & bus_master::status_interrupt) || (drive_status & status::busy)) {
        return; // not this channel's (a shared line), or not done yet
    }
    stop_dma();
    const bool failed =
        (bm & bus_master::status_error) || (drive_status & (status::error | status::device_fault));
    finish_locked(failed ? Errno::IO : Errno(0));
}

void Channel::finish_locked(Errno status) {
    m_command.status = status;
    m_command.phase = Phase::Done;
    m_end.wake_one();
}

void Channel::reset() {
    // SRST for at least 5 us (each status read takes 100 ns or more), then
    // the drives take up to 31 s to come back (ATA8-APT 9.2).
    if (m_ports.bus_master) {
        stop_dma();
    }
    cpu::outb(m_ports.control, static_cast<u8>(m_control | control::reset));
    for (int i = 0; i < 50; ++i) {
        (void)alternate_status();
    }
    cpu::outb(m_ports.control, m_control);
    Scheduler::sleep_ns(2 * ms);
    if (wait_not_busy(reset_timeout_ns).is_error()) {
        kprintln("ata{}: channel still busy after a reset", m_number);
    }
    m_selected = 0xFF; // a reset selects the master
}

} // namespace kite::ata
