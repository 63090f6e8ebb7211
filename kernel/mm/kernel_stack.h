// kernel_stack.h: kernel stacks allocated at run time (each thread owns
// one). Each lives in its own slot of the kernel-stack area with unmapped
// guard pages below it, so an overflow faults (and, with the double-fault
// IST, is reported) instead of silently corrupting a neighbour.
#pragma once

#include "lib/error.h"
#include "lib/types.h"

namespace kite {

constexpr u64 kernel_stack_area = 0xffffc00000000000; // PML4 entry 384
constexpr u64 kernel_stack_slot_size = 64 * KiB;
constexpr u64 kernel_stack_size = 16 * KiB; // mapped at the top of its slot
constexpr usize kernel_stack_slots = 4096;

class KernelStack {
  public:
    [[nodiscard]] static ErrorOr<KernelStack> create();
    KernelStack(KernelStack&& other) : m_slot(other.m_slot) { other.m_slot = none; }
    KernelStack& operator=(KernelStack&&) = delete;
    KernelStack(const KernelStack&) = delete;
    ~KernelStack();

    [[nodiscard]] u64 top() const;    // initial stack pointer (16-aligned)
    [[nodiscard]] u64 bottom() const; // lowest mapped byte
    [[nodiscard]] u64 guard() const;  // highest unmapped page, just below bottom()

  private:
    static constexpr usize none = ~usize{0};
    explicit KernelStack(usize slot) : m_slot(slot) {}
    usize m_slot;
};

} // namespace kite
