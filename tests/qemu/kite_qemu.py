#!/usr/bin/env python3
"""Starting Kite in QEMU: for people (run, debug) and for tests (Machine).

Every QEMU flag Kite uses is chosen here, once. Tests drive the serial
console through Machine, which always has a deadline and always kills QEMU
when it is done, so no test can hang.

    python3 tests/qemu/kite_qemu.py run   --iso build/kite.iso [--kvm] [--append TEXT]
    python3 tests/qemu/kite_qemu.py debug --iso build/kite.iso [--gdbinit build/kite.gdbinit]

isa-debug-exit turns the kernel's pass/fail writes into QEMU exit codes
33 (pass) and 35 (fail); a triple fault with -no-reboot exits 0, which
therefore never counts as a pass.
"""
import argparse
import ctypes
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

EXIT_PASS = 33
EXIT_FAIL = 35
QEMU = shutil.which("qemu-system-x86_64") or "qemu-system-x86_64"


def qemu_command(iso, memory="128M", append=None, kvm=False, icount=False, display=False,
                 serial="stdio", extra=()):
    command = [QEMU, "-m", memory, "-cdrom", iso, "-boot", "d", "-no-reboot", "-nic", "none",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-serial", serial]
    if kvm:
        command += ["-accel", "kvm", "-cpu", "host"]
    else:
        command += ["-accel", "tcg"]
    if icount:
        command += ["-icount", "shift=0,sleep=off"]
    if not display:
        command += ["-display", "none"]
    if append:
        # The kernel appends fw_cfg's opt/kite/cmdline to GRUB's command line
        # (kernel/boot/boot_info.cpp); this is how tests select what to run.
        # (QEMU's option syntax escapes a comma by doubling it.)
        command += ["-fw_cfg", "name=opt/kite/cmdline,string=" + append.replace(",", ",,")]
    return command + list(extra)


def disk_options(image, interface="virtio"):
    """QEMU options that attach a raw image (virtio: /dev/vda; ide: /dev/sda)."""
    return ["-drive", f"file={image},format=raw,if={interface}"]


class Timeout(Exception):
    pass


def find_tool(name):
    """A host program by name: the sbin directories first (e2fsprogs lives
    there, often not on a user's PATH), then PATH."""
    for directory in ("/sbin", "/usr/sbin", "/bin", "/usr/bin"):
        path = os.path.join(directory, name)
        if os.access(path, os.X_OK):
            return path
    return shutil.which(name)


class Checks:
    """A boot test's named checks: check(condition, what) prints ok or FAIL
    as it goes and remembers the failures; finish(passed) says how it went
    and gives the exit status."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, what):
        print(("ok: " if condition else "FAIL: ") + what)
        if not condition:
            self.failures.append(what)
        return condition

    def finish(self, passed):
        if self.failures:
            print(f"FAIL: {len(self.failures)} checks failed")
            return 1
        print(passed)
        return 0


def run_main(main):
    """Runs a boot test's main, a Timeout being a failure, and exits with its status."""
    try:
        sys.exit(main())
    except Timeout as e:
        print(f"FAIL: {e}")
        sys.exit(1)


def _die_with_parent():
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def read_available(stream, timeout):
    """What a non-blocking pipe has within timeout: None if nothing came,
    b"" at end of file, else the bytes."""
    ready, _, _ = select.select([stream], [], [], max(timeout, 0))
    if not ready:
        return None
    return stream.read()


class Machine:
    """One QEMU run with the serial console on a pipe.

    with Machine(iso, append="kite.test=all") as m:
        m.expect(r"KTEST SUMMARY: (\\d+) passed", timeout=60)
        code = m.wait_exit(timeout=10)
    """

    def __init__(self, iso, append=None, memory="128M", icount=False, extra=(), echo=True):
        self.workdir = tempfile.TemporaryDirectory(prefix="kite-qemu-")
        self.monitor_path = os.path.join(self.workdir.name, "monitor.sock")
        monitor = ["-monitor", f"unix:{self.monitor_path},server=on,wait=off"]
        self.command = qemu_command(iso, memory=memory, append=append, icount=icount,
                                    extra=list(extra) + monitor)
        self.echo = echo
        self.output = ""
        self._position = 0  # expect() searches from here
        self.process = None
        self.started_at = None

    def __enter__(self):
        # A test killed with SIGTERM still runs __exit__, and QEMU dies with
        # its parent even if the parent is killed outright (PDEATHSIG).
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        preexec_fn=_die_with_parent)
        os.set_blocking(self.process.stdout.fileno(), False)
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    def kill(self):
        try:
            if self.process and self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
        finally:
            if self.process:
                for stream in (self.process.stdin, self.process.stdout):
                    try:
                        stream.close()
                    except OSError:
                        pass
            self.workdir.cleanup()

    def monitor(self, command, timeout=10):
        """Runs one QEMU human-monitor command and returns what it printed."""
        deadline = time.monotonic() + timeout

        def read_prompt(sock):
            reply = b""
            while not reply.endswith(b"(qemu) "):
                sock.settimeout(max(deadline - time.monotonic(), 0.01))
                chunk = sock.recv(4096)
                if not chunk:
                    raise Timeout(f"QEMU closed its monitor during {command!r}")
                reply += chunk
            return reply

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(self.monitor_path)
            read_prompt(sock)
            sock.sendall(command.encode() + b"\n")
            reply = read_prompt(sock)
        text = reply.decode(errors="replace").replace("\r", "")
        # The monitor echoes the command line first and ends with the prompt.
        return text.split("\n", 1)[1].rsplit("(qemu) ", 1)[0] if "\n" in text else ""

    def vga_text(self):
        """The 80x25 VGA text screen as 25 lines, read from guest memory."""
        dump = os.path.join(self.workdir.name, "vga.bin")
        reply = self.monitor(f'pmemsave 0xb8000 4000 "{dump}"')
        if not os.path.exists(dump):
            raise RuntimeError(f"pmemsave failed: {reply}")
        with open(dump, "rb") as f:
            cells = f.read()
        chars = bytes(cells[i] for i in range(0, len(cells), 2)).decode("cp437")
        return [chars[row * 80:(row + 1) * 80].rstrip() for row in range(25)]

    def _read(self, timeout):
        """Reads what QEMU printed within timeout; returns False at EOF."""
        data = read_available(self.process.stdout, timeout)
        if data is None:
            return True
        if not data:
            return False
        # The kernel sends "\r\n"; a read can split the pair, so drop every "\r".
        text = data.decode("utf-8", errors="replace").replace("\r", "")
        if self.echo:
            sys.stdout.write(text)
            sys.stdout.flush()
        self.output += text
        return True

    def position(self):
        """Where the next expect() starts searching self.output."""
        return self._position

    def expect(self, pattern, timeout=30):
        """Waits for pattern (a regex) in the output after the last match."""
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        # A pattern that ends a line ("...$") may match the end of what has
        # come so far in the middle of a line ("[2] 1" of "[2] 10", when the
        # guest was stopped mid-line): such a match waits for the line's end.
        ends_line = pattern.endswith("$")
        while True:
            match = regex.search(self.output, self._position)
            if match and ends_line and match.end() == len(self.output):
                match = None
            if match:
                self._position = match.end()
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"timed out after {timeout}s waiting for {pattern!r}")
            if not self._read(min(remaining, 0.5)) and self.process.poll() is not None:
                match = regex.search(self.output, self._position)
                if match:
                    self._position = match.end()
                    return match
                raise Timeout(f"QEMU exited ({self.process.returncode}) before {pattern!r}")

    def send(self, text):
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def wait_exit(self, timeout=30):
        """Collects output until QEMU exits; returns its exit code."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None or self._read(0):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"QEMU still running after {timeout}s")
            if not self._read(min(remaining, 0.5)) and self.process.poll() is not None:
                break
        return self.process.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["run", "debug"])
    parser.add_argument("--iso", required=True)
    parser.add_argument("--kvm", action="store_true", default=os.environ.get("KITE_KVM") == "1",
                        help="use KVM instead of TCG (or set KITE_KVM=1)")
    parser.add_argument("--append", help="extra kernel command-line text")
    parser.add_argument("--memory", default="128M")
    parser.add_argument("--smp", type=int, default=int(os.environ.get("KITE_SMP", "4")),
                        help="how many CPUs (default 4, or KITE_SMP)")
    parser.add_argument("--disk", help="a raw disk image to attach as virtio-blk (/dev/vda)")
    parser.add_argument("--gdbinit", help="debug: the GDB start file to suggest (build/kite.gdbinit)")
    args = parser.parse_args()

    display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    command = qemu_command(args.iso, memory=args.memory, append=args.append, kvm=args.kvm,
                           display=display, serial="mon:stdio",
                           extra=["-smp", str(args.smp)] + (disk_options(args.disk) if args.disk else []))
    if args.mode == "debug":
        command += ["-s", "-S"]
        # The start file loads the kernel's symbols and the kite-* commands
        # (kernel/scripts/kite_gdb.py).
        start = f"-x {args.gdbinit}" if args.gdbinit else "build/kernel/kite.elf"
        print("QEMU is halted with a GDB stub on localhost:1234. In another terminal:\n"
              f"  gdb {start} -ex 'target remote localhost:1234' "
              "-ex 'hbreak kernel_main' -ex continue\n"
              "Then kite-ps, kite-pt and kite-bt show processes, page tables and\n"
              "sleeping threads' backtraces (see README.md, \"Debugging with GDB\").\n",
              file=sys.stderr)
    print("Serial console on this terminal. Quit QEMU with Ctrl-A then X.", file=sys.stderr)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the guest
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
