// backtrace.cpp: frame-pointer walk. Each frame is [saved rbp][return rip].
// Invariant relied on: caller frames lie at higher addresses than callee
// frames on the same stack, so a chain that does not strictly ascend is
// corrupt and the walk stops.
#include "arch/x86_64/backtrace.h"

#include "arch/x86_64/probe.h"
#include "debug/ksyms.h"

namespace kite {

namespace {

constexpr u64 kernel_half_start = 0xffff800000000000;

// Steps from the frame at rbp to its caller's. Returns false at the end of
// the chain or where it looks corrupt.
bool next_frame(u64& rbp, u64& return_address) {
    if (rbp < kernel_half_start || rbp % 8 != 0) {
        return false;
    }
    u64 next_rbp;
    if (!probe_read_u64(rbp, &next_rbp) || !probe_read_u64(rbp + 8, &return_address)) {
        return false;
    }
    if (return_address == 0 || next_rbp <= rbp) {
        return false;
    }
    rbp = next_rbp;
    return true;
}

} // namespace

usize capture_backtrace(u64 rbp, u64* addresses, usize capacity) {
    usize count = 0;
    u64 return_address;
    while (count < capacity && next_frame(rbp, return_address)) {
        addresses[count++] = return_address;
    }
    return count;
}

void print_code_address(FormatSink& sink, u64 address, bool is_return_address) {
    ksyms::Symbol symbol;
    if (ksyms::lookup(is_return_address ? address - 1 : address, symbol)) {
        format(sink, "{:p} <{}+{:#x}>", address, symbol.name, address - symbol.address);
    } else {
        format(sink, "{:p} <?>", address);
    }
}

void print_backtrace(FormatSink& sink, u64 rbp) {
    constexpr usize max_walk = 100000; // frames; bounds a corrupt but ascending chain
    format(sink, "backtrace:\n");
    usize frame = 0;
    usize lines = 0;
    u64 previous = 0;
    usize repeats = 0;
    u64 return_address;
    for (; frame < max_walk && next_frame(rbp, return_address); ++frame) {
        if (return_address == previous) {
            ++repeats;
            continue;
        }
        if (repeats > 0) {
            format(sink, "      (the frame above repeats {} more times)\n", repeats);
            repeats = 0;
        }
        if (lines == backtrace_max_frames) {
            format(sink, "  ... (more frames not shown)\n");
            return;
        }
        format(sink, "  #{:<2} ", frame);
        print_code_address(sink, return_address, true);
        format(sink, "\n");
        previous = return_address;
        ++lines;
    }
    if (repeats > 0) {
        format(sink, "      (the frame above repeats {} more times)\n", repeats);
    }
    if (frame == 0) {
        format(sink, "  (no frames)\n");
    }
}

} // namespace kite
