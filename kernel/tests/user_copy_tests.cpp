// user_copy_tests.cpp: the user-memory copies meeting a missing page. From
// a kernel thread (no process) the region check lets every user address
// through, so the copy instruction itself faults: the exception table must
// turn that into EFAULT, for each kind of copy.
#include "arch/x86_64/exceptions.h"
#include "mm/user_memory.h"
#include "tests/ktest.h"

namespace kite {

namespace {

constexpr u64 unmapped_user_address = 0x10000; // nothing is mapped there in kernel threads

bool is_fault(const ErrorOr<void>& result) {
    return result.is_error() && result.error().code() == Errno::FAULT;
}

} // namespace

KTEST(user_copies_of_a_missing_page_are_efault) {
    const u64 recovered = last_recovered_fault().count;
    u8 buffer[64] = {};
    KEXPECT(is_fault(copy_to_user({unmapped_user_address}, buffer, sizeof(buffer))));
    KEXPECT(is_fault(copy_from_user(buffer, {unmapped_user_address}, sizeof(buffer))));
    KEXPECT(is_fault(IoBuffer::user({unmapped_user_address}).fill(0, 0xab, 5000)));
    char name[16];
    auto string = copy_string_from_user(name, {unmapped_user_address}, sizeof(name));
    KEXPECT(string.is_error() && string.error().code() == Errno::FAULT);
    // Two recoveries for each of the two bulk copies (the eight-byte part
    // faults, then the byte-at-a-time rest at the same address), one each
    // for the fill and the string.
    KEXPECT_EQ(last_recovered_fault().count, recovered + 6);
}

KTEST(kernel_buffer_fill_writes_exactly_its_range) {
    u8 buffer[300];
    __builtin_memset(buffer, 1, sizeof(buffer));
    KEXPECT(!IoBuffer::kernel(buffer).fill(10, 7, 280).is_error());
    KEXPECT_EQ(buffer[9], 1);
    KEXPECT_EQ(buffer[10], 7);
    KEXPECT_EQ(buffer[289], 7);
    KEXPECT_EQ(buffer[290], 1);
}

} // namespace kite
