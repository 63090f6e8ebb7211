# toolchain.cmake: the bare-metal x86_64 target that the kernel (and later
# user programs) are compiled for.
#
# A real x86_64-elf- cross GCC/binutils is used when one is on PATH. Otherwise
# the host GCC is used in freestanding mode. That is safe because the host and
# target share the ISA and the ELF64 object format, and because the flags in
# KITE_FREESTANDING_FLAGS keep everything host-specific out:
#   -ffreestanding          no hosted-library assumptions; __STDC_HOSTED__ is 0,
#                           so GCC's <stdint.h> uses its own stdint-gcc.h
#   -nostdinc -nostdinc++   no /usr/include, no libstdc++ headers; only GCC's
#                           private include dir (stddef.h, stdint.h, cpuid.h...)
#   -fno-pic -fno-pie       Debian's GCC defaults to PIE; the kernel is not
#   -fno-stack-protector    no reference to the host libc's __stack_chk_fail
#                           (the kernel turns it back on with a guard of its
#                           own: kernel/CMakeLists.txt)
#   -fcf-protection=none    no CET notes or endbr64 expected by a host loader
# and at link time -nostdlib -static -no-pie: no crt files, no libc and not
# even libgcc.a (it is built with the red zone, which kernel code must not use).

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

find_program(KITE_CROSS_GCC x86_64-elf-gcc)
if(KITE_CROSS_GCC)
    set(KITE_TOOL_PREFIX "x86_64-elf-")
    set(KITE_USING_HOST_GCC OFF)
else()
    set(KITE_TOOL_PREFIX "")
    set(KITE_USING_HOST_GCC ON)
endif()

find_program(CMAKE_C_COMPILER NAMES ${KITE_TOOL_PREFIX}gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES ${KITE_TOOL_PREFIX}g++ REQUIRED)
find_program(CMAKE_ASM_NASM_COMPILER NAMES nasm REQUIRED)
find_program(KITE_NM NAMES ${KITE_TOOL_PREFIX}nm REQUIRED)
find_program(KITE_OBJCOPY NAMES ${KITE_TOOL_PREFIX}objcopy REQUIRED)
set(CMAKE_AR ${KITE_TOOL_PREFIX}ar CACHE FILEPATH "")

# Nothing can be linked for this target without a runtime, so CMake's
# compiler checks build static libraries instead of executables.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE KITE_GCC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(KITE_FREESTANDING_FLAGS
    -ffreestanding -nostdinc -isystem ${KITE_GCC_INCLUDE}
    -fno-pic -fno-pie -fno-stack-protector -fcf-protection=none)
set(KITE_FREESTANDING_CXX_FLAGS -nostdinc++ -fno-exceptions -fno-rtti)
set(KITE_FREESTANDING_LINK_FLAGS -nostdlib -static -no-pie)
