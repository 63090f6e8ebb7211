// serial.cpp: COM1 output. Polled: each byte waits for the transmit holding
// register, which keeps it usable from panic() with interrupts off.
#include "arch/x86_64/serial.h"

#include "arch/x86_64/cpu.h"
#include "interrupts/irq.h"

namespace kite::serial {

namespace {

constexpr u16 com1 = 0x3F8;
enum Register : u16 {
    Data = 0, // DLAB=0
    InterruptEnable = 1,
    DivisorLow = 0,  // DLAB=1
    DivisorHigh = 1, // DLAB=1
    FifoControl = 2,
    LineControl = 3,
    ModemControl = 4,
    LineStatus = 5,
};
constexpr u8 line_status_data_ready = 0x01;
constexpr u8 line_status_transmit_empty = 0x20;

bool present = false;
ByteSink receive_sink = nullptr;

// Drains the receive FIFO completely: a burst longer than the FIFO arrives
// over several interrupts, and each must empty what is there.
void on_receive_interrupt(InterruptFrame&) {
    for (int i = 0; i < 4096 && (cpu::inb(com1 + LineStatus) & line_status_data_ready); ++i) {
        const u8 byte = cpu::inb(com1 + Data);
        if (receive_sink) {
            receive_sink(byte);
        }
    }
}

void put(u8 byte) {
    // Bounded wait: a wedged UART must not hang the kernel (or its panic).
    for (int spins = 0; spins < 100000; ++spins) {
        if (cpu::inb(com1 + LineStatus) & line_status_transmit_empty) {
            break;
        }
        cpu::pause();
    }
    cpu::outb(com1 + Data, byte);
}

} // namespace

bool init() {
    cpu::outb(com1 + InterruptEnable, 0x00);
    cpu::outb(com1 + LineControl, 0x80); // DLAB on
    cpu::outb(com1 + DivisorLow, 0x01);  // 115200 / 1
    cpu::outb(com1 + DivisorHigh, 0x00);
    cpu::outb(com1 + LineControl, 0x03); // 8 data bits, no parity, 1 stop bit
    cpu::outb(com1 + FifoControl, 0xC7); // FIFOs on and cleared, 14-byte threshold
    // Loopback self-test: a UART that does not echo is not there.
    cpu::outb(com1 + ModemControl, 0x1E);
    cpu::outb(com1 + Data, 0xA5);
    // A real UART needs about one character time to loop the byte back.
    for (int spins = 0; spins < 100000 && !(cpu::inb(com1 + LineStatus) & line_status_data_ready);
         ++spins) {
        cpu::pause();
    }
    present = cpu::inb(com1 + Data) == 0xA5;
    cpu::outb(com1 + ModemControl, 0x0F); // normal mode, DTR RTS OUT1 OUT2
    return present;
}

void enable_receive(ByteSink sink) {
    if (!present) {
        return;
    }
    receive_sink = sink;
    irq::install(4, on_receive_interrupt);
    cpu::outb(com1 + InterruptEnable, 0x01); // received data available
}

void write(StringView text) {
    if (!present) {
        return;
    }
    for (usize i = 0; i < text.length(); ++i) {
        if (text[i] == '\n') {
            put('\r');
        }
        put(static_cast<u8>(text[i]));
    }
}

} // namespace kite::serial
