# The system-call tests of tests/user/ that are built a second time as newlib
# programs (/test/libc_raw_<name>). Read by user/CMakeLists.txt, which builds
# them, and tests/CMakeLists.txt, which runs them on Linux.
set(KITE_RAW_TESTS_ON_NEWLIB files fork_wait memory pipes signals syscalls_basic time)
