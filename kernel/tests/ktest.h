// ktest.h: in-kernel tests.
//
//   KTEST(frames_are_reused) { KEXPECT_EQ(a, b); }
//
// KTEST registers a test through a pointer placed in the .ktests section.
// The kernel runs them when its command line has kite.test=all (every normal
// test) or kite.test=name,name (just those, fatal ones included). Each test
// prints "KTEST <name> ... ok" or "... FAIL" followed by the failed checks
// ("FAIL: file:line: what") or "... skipped"; the run ends with "KTEST
// SUMMARY: N passed, M failed" (", K skipped" if any were) and QEMU exits through isa-debug-exit
// with pass or fail.
//
// A FATAL test ends in a panic by design (a double fault, an unhandled page
// fault); it is run alone, and its harness (tests/qemu/) checks the report.
#pragma once

#include "lib/format.h"

namespace kite::ktest {

enum class Kind : u8 { Normal, Fatal };

struct TestCase {
    const char* name;
    void (*function)();
    Kind kind;
};

[[noreturn]] void run(StringView selection);

// Records a failed check for the running test and prints it.
void fail(const char* file, int line, StringView what);
// Marks the running test skipped (it returns at once after): it needs what
// this machine lacks (a CPU feature). "KTEST <name> ... skipped" replaces
// ok, and the summary counts it apart; a harness may refuse skips.
void skip(StringView why);

template <typename A, typename B>
void check_equal(const A& a, const B& b, const char* a_text, const char* b_text, const char* file,
                 int line) {
    if (a == b) {
        return;
    }
    char buffer[256];
    fail(file, line,
         format_to(buffer, sizeof(buffer), "{} == {} (left {}, right {})", a_text, b_text, a, b));
}

} // namespace kite::ktest

#define KTEST_REGISTER(test_name, test_kind)                                                       \
    static void ktest_##test_name();                                                               \
    static const ::kite::ktest::TestCase ktest_case_##test_name = {#test_name, ktest_##test_name,  \
                                                                   test_kind};                     \
    [[gnu::used,                                                                                   \
      gnu::section(                                                                                \
          ".ktests")]] static const ::kite::ktest::TestCase* const ktest_pointer_##test_name =     \
        &ktest_case_##test_name;                                                                   \
    static void ktest_##test_name()

#define KTEST(test_name) KTEST_REGISTER(test_name, ::kite::ktest::Kind::Normal)
#define KTEST_FATAL(test_name) KTEST_REGISTER(test_name, ::kite::ktest::Kind::Fatal)

#define KEXPECT(condition)                                                                         \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            ::kite::ktest::fail(__FILE__, __LINE__, #condition);                                   \
        }                                                                                          \
    } while (0)

#define KEXPECT_EQ(a, b) ::kite::ktest::check_equal((a), (b), #a, #b, __FILE__, __LINE__)
