// qemu.h: the two QEMU devices the kernel talks to for tests: isa-debug-exit
// (ends QEMU with an exit code) and fw_cfg (extra kernel command-line text).
#pragma once

#include "lib/types.h"

namespace kite::qemu {

// Written to isa-debug-exit at port 0xf4; QEMU exits with (code << 1) | 1,
// so Success is 33 and Failure 35. A triple fault (QEMU exits 0 with
// -no-reboot) can never look like a pass. PowerOff (37) is reboot(2)'s
// power-off, which is neither.
enum class ExitCode : u8 { Success = 0x10, Failure = 0x11, PowerOff = 0x12 };

// Ends QEMU. Returns only when there is no isa-debug-exit device.
void exit(ExitCode code);

// Reads the fw_cfg file `name` into buffer (NUL-terminated, truncated to
// fit). Returns the number of bytes read, or -1 if there is no such file or
// no fw_cfg device (as on real hardware).
long read_fw_cfg_file(const char* name, char* buffer, usize capacity);

} // namespace kite::qemu
