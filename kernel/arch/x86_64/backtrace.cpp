// backtrace.cpp: frame-pointer walk. Each frame is [saved rbp][return rip].
// Invariant relied on: caller frames lie at higher addresses than callee
// frames on the same stack, so a chain that does not strictly ascend is
// corrupt and the walk stops.
#include "arch/x86_64/backtrace.h"

#include "arch/x86_64/probe.h"
#include "arch/x86_64/stacks.h"
#include "debug/ksyms.h"

namespace kite {

namespace {

// A frame record is 16 bytes at rbp, on a stack the kernel knows. Reading
// only there keeps a corrupt chain away from device memory in the direct map.
bool frame_on_known_stack(u64 rbp, KnownStack& stack) {
    return rbp % 8 == 0 && find_stack(rbp, stack) && rbp >= stack.bottom && rbp + 16 <= stack.top;
}

// Reads the frame at rbp: its return address, and the caller's frame in
// rbp. Returns false where the chain cannot be read. has_next is false when
// the caller's frame is not a valid next step (end of the chain, or a frame
// that does not ascend on the same stack).
bool next_frame(u64& rbp, u64& return_address, bool& has_next) {
    KnownStack stack;
    if (!frame_on_known_stack(rbp, stack)) {
        return false;
    }
    u64 next_rbp;
    if (!probe_read_u64(rbp, &next_rbp) || !probe_read_u64(rbp + 8, &return_address) ||
        return_address == 0) {
        return false;
    }
    KnownStack next_stack;
    // Within one stack callers sit higher; an IST handler's caller is on
    // another stack.
    has_next = frame_on_known_stack(next_rbp, next_stack) &&
               (next_stack.bottom != stack.bottom || next_rbp > rbp);
    rbp = next_rbp;
    return true;
}

} // namespace

usize capture_backtrace(u64 rbp, u64* addresses, usize capacity) {
    usize count = 0;
    u64 return_address;
    bool has_next = true;
    while (has_next && count < capacity && next_frame(rbp, return_address, has_next)) {
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
    bool has_next = true;
    for (; has_next && frame < max_walk && next_frame(rbp, return_address, has_next); ++frame) {
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
