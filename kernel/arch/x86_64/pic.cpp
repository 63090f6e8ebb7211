// pic.cpp: the 8259A pair, remapped to vectors 32-47 (the BIOS leaves them
// on 8-15, where they would collide with CPU exceptions). IRQ 2 is the
// cascade from the slave and stays unmasked while any slave line is.
#include "arch/x86_64/pic.h"

#include "arch/x86_64/cpu.h"

namespace kite {

namespace {

constexpr u16 master_command = 0x20;
constexpr u16 master_data = 0x21;
constexpr u16 slave_command = 0xA0;
constexpr u16 slave_data = 0xA1;
constexpr u8 icw1_init_with_icw4 = 0x11;
constexpr u8 icw4_8086 = 0x01;
constexpr u8 ocw3_read_isr = 0x0B;
constexpr u8 eoi = 0x20;
constexpr u8 cascade_line = 2;

// Writes to an unused port give the old PICs time between commands.
void io_wait() {
    cpu::outb(0x80, 0);
}

class Pic8259 final : public InterruptController {
  public:
    void init(u8 first_vector) override {
        m_mask = 0xFFFF & ~(1u << cascade_line);
        cpu::outb(master_command, icw1_init_with_icw4);
        io_wait();
        cpu::outb(slave_command, icw1_init_with_icw4);
        io_wait();
        cpu::outb(master_data, first_vector); // ICW2: vector offsets
        io_wait();
        cpu::outb(slave_data, first_vector + 8);
        io_wait();
        cpu::outb(master_data, 1 << cascade_line); // ICW3: slave on IRQ 2
        io_wait();
        cpu::outb(slave_data, cascade_line);
        io_wait();
        cpu::outb(master_data, icw4_8086);
        io_wait();
        cpu::outb(slave_data, icw4_8086);
        io_wait();
        write_mask();
    }
    void enable(u8 line) override {
        m_mask &= static_cast<u16>(~(1u << line));
        write_mask();
    }
    void disable(u8 line) override {
        if (line != cascade_line) {
            m_mask |= static_cast<u16>(1u << line);
            write_mask();
        }
    }
    // IRQ 7 and 15 can be raised with nothing in service (a line that
    // dropped before the CPU acknowledged it). Then the in-service register
    // has no bit for it. A spurious IRQ 15 still needs an EOI to the master,
    // which did see a real request on the cascade line.
    bool is_spurious(u8 line) override {
        if (line != 7 && line != 15) {
            return false;
        }
        const u16 port = line == 7 ? master_command : slave_command;
        cpu::outb(port, ocw3_read_isr);
        const bool in_service = cpu::inb(port) & 0x80;
        if (!in_service && line == 15) {
            cpu::outb(master_command, eoi);
        }
        return !in_service;
    }
    void end_of_interrupt(u8 line) override {
        if (line >= 8) {
            cpu::outb(slave_command, eoi);
        }
        cpu::outb(master_command, eoi);
    }
    const char* name() const override { return "8259 PIC"; }

  private:
    void write_mask() {
        cpu::outb(master_data, static_cast<u8>(m_mask));
        cpu::outb(slave_data, static_cast<u8>(m_mask >> 8));
    }
    u16 m_mask = 0xFFFF;
};

Pic8259 the_pic;

} // namespace

InterruptController& pic8259() {
    return the_pic;
}

void pic8259_disable(u8 first_vector) {
    the_pic.init(first_vector);
    cpu::outb(master_data, 0xFF);
    cpu::outb(slave_data, 0xFF);
}

} // namespace kite
