#!/usr/bin/env python3
"""The GDB helpers of kernel/scripts/kite_gdb.py (kite-ps, kite-pt, kite-bt),
run on a real boot: the ISO boots into /sbin/init and /bin/sh, a background
shell stops itself, then GDB attaches (through build/kite.gdbinit, as README.md
says), breaks when `sleep 100 | cat &` calls nanosleep and again when the CPU
next goes idle, so that every process is asleep at a known place, and runs
the commands. Their output is checked against what the shell reported and,
for the page walk, against QEMU's view of physical memory.

    python3 tests/qemu/test_gdb_helpers.py --iso build/kite.iso --gdbinit build/kite.gdbinit
"""
import argparse
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from kite_qemu import Machine, Timeout

PROMPT = r"^/ \$ "

# Runs in GDB once the CPU is idle after the sleep began. The marker lines
# split the output per command; $sleep_pid/$sleep_tid are set at the
# nanosleep breakpoint, where the sleep is the running thread.
SESSION = r"""
set pagination off
set confirm off
target remote 127.0.0.1:{port}
break kite::sys_nanosleep
echo KITE-GDB-READY\n
continue
set $sleep_tid = 'kite::(anonymous namespace)::running'->m_id
set $sleep_pid = 'kite::(anonymous namespace)::running'->m_process->m_pid
delete
tbreak 'kite::(anonymous namespace)::idle_loop'
continue
echo KITE-BEGIN ids\n
set $frame = $kite_user_frame($sleep_pid)
printf "sleep pid %d tid %d user rip %#lx rsp %#lx\n", $sleep_pid, $sleep_tid, $frame->rip, $frame->rsp
echo KITE-BEGIN ps\n
kite-ps
echo KITE-BEGIN pt-rip\n
kite-pt $sleep_pid $frame->rip
echo KITE-BEGIN pt-stack\n
kite-pt $sleep_pid $frame->rsp
echo KITE-BEGIN pt-null\n
kite-pt $sleep_pid 0
echo KITE-BEGIN pt-kernel\n
kite-pt kernel kernel_main
echo KITE-BEGIN bt-sleep\n
kite-bt $sleep_tid
echo KITE-BEGIN bt-init\n
kite-bt $kite_process(1)->m_thread->m_id
echo KITE-BEGIN bt-stopped\n
kite-bt $kite_process({stopped_pid})->m_thread->m_id
echo KITE-BEGIN end\n
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gdb:
    """GDB in batch mode on a pipe, read as it goes (with deadlines)."""

    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        os.set_blocking(self.process.stdout.fileno(), False)
        self.output = ""

    def _read(self, timeout):
        ready, _, _ = select.select([self.process.stdout], [], [], max(timeout, 0))
        if not ready:
            return True
        data = self.process.stdout.read()
        if not data:
            return False
        self.output += data.decode("utf-8", errors="replace")
        return True

    def expect(self, text, timeout):
        deadline = time.monotonic() + timeout
        while text not in self.output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"GDB did not print {text!r} within {timeout}s")
            if not self._read(min(remaining, 0.5)) and self.process.poll() is not None:
                if text in self.output:
                    break
                raise Timeout(f"GDB exited ({self.process.returncode}) before {text!r}")

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while self._read(min(max(deadline - time.monotonic(), 0), 0.5)):
            if self.process.poll() is not None and not self._read(0):
                break
            if time.monotonic() > deadline:
                raise Timeout(f"GDB still running after {timeout}s")
        return self.process.wait(timeout=10)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def sections(output):
    """{name: text} for each 'KITE-BEGIN name' marker of the session."""
    parts = re.split(r"^KITE-BEGIN (\S+)\n", output, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


class Checker:
    def __init__(self):
        self.failures = []

    def check(self, condition, what):
        print(("ok:   " if condition else "FAIL: ") + what)
        if not condition:
            self.failures.append(what)

    def search(self, pattern, text, what):
        match = re.search(pattern, text, re.MULTILINE)
        self.check(match is not None, f"{what} (/{pattern}/)")
        return match


def check_session(out, shell, machine):
    """Checks the helpers' output; returns the list of failures."""
    c = Checker()
    ids = c.search(r"sleep pid (\d+) tid (\d+) user rip (0x[0-9a-f]+) rsp (0x[0-9a-f]+)",
                   out.get("ids", ""), "the sleep's ids and user registers")
    if not ids:
        return c.failures
    sleep_pid, sleep_tid = int(ids[1]), int(ids[2])
    user_rip, user_rsp = int(ids[3], 16), int(ids[4], 16)

    ps = out.get("ps", "")
    thread = r"\n +tid \d+ +"
    sh = shell["sh"]
    c.search(r"^ +1 +0 +1 +1  init +Running" + thread + r"Blocked  on pid 1's m_child_event",
             ps, "kite-ps: init (pid 1) waits for a child")
    c.search(rf"^ +{sh} +1 +{sh} +{sh}  sh +Running" + thread
             + r"Blocked  on the console's readers", ps, "kite-ps: the shell waits for the console")
    stopped = shell["stopped"]
    c.search(rf"^ +{stopped} +{sh} +{stopped} +{sh}  sh +Stopped \(signal 19\)" + thread
             + rf"Blocked  on pid {stopped}'s m_continued", ps,
             "kite-ps: the stopped shell waits for SIGCONT")
    # The stopped shell cannot reap its kill.
    c.search(rf"^ +\d+ +{stopped} +{stopped} +{sh}  kill +Zombie \(wait status 0x0\)$", ps,
             "kite-ps: kill is a zombie")
    job = shell["job"]  # the pipeline's process group: its first process, the sleep
    c.check(sleep_pid == job, f"the sleep that called nanosleep is the job's first process ({job})")
    c.search(rf"^ +{sleep_pid} +{sh} +{job} +{sh}  sleep +Running\n +tid {sleep_tid} +Blocked"
             r"  on a queue on its own stack at 0x[0-9a-f]+ \(a sleep\), "
             r"timeout at [\d.]+ s \(in ~\d+\.\d s\)", ps, "kite-ps: sleep is Blocked with a timeout")
    c.search(rf"^ +(\d+) +{sh} +{job} +{sh}  cat +Running" + thread
             + r"Blocked  on pipe 0x[0-9a-f]+'s m_readable \(waiting for data\); "
             r"pid \1 has its read end as fd 0$", ps, "kite-ps: cat waits for the pipe")
    c.search(r"^kernel threads:\n(.*\n)*? +tid 0 +Blocked  main  on pid 1's m_exited", ps,
             "kite-ps: the boot thread waits for init to exit")
    c.search(r"^ +tid \d+ +Running \(on the CPU\)  idle$", ps,
             "kite-ps: the idle thread is on the CPU")

    leaf = r"^  PT\[\d+\] +entry 0x[0-9a-f]{16}  P [^\n]*-> 4 KiB page at 0x[0-9a-f]+\n"
    pt_rip = out.get("pt-rip", "")
    for level in ("PML4", "PDPT", "PD"):
        c.search(rf"^  {level}\[\d+\] +entry 0x[0-9a-f]{{16}}  P W U[^\n]*-> ", pt_rip,
                 f"kite-pt rip: a present {level} entry")
    c.search(leaf, pt_rip, "kite-pt rip: a present PT entry")
    physical = c.search(r"^  physical address (0x[0-9a-f]+) \(user, read-only, executable;",
                        pt_rip, "kite-pt rip: the user code's physical address")
    if physical:
        # The instruction before the saved rip is the sleep's `syscall` (0f 05).
        address = int(physical[1], 16) - 2
        memory = machine.monitor(f"xp /2bx {address:#x}")
        c.search(r": 0x0f 0x05", memory, f"QEMU sees a syscall instruction at physical {address:#x}")
    c.check(f"{user_rip:#x} in pid {sleep_pid} (sleep)" in pt_rip,
            "kite-pt names the address and process")
    c.search(leaf.replace(" P ", " P W U ")
             + r"  physical address 0x[0-9a-f]+ \(user, writable, no-execute;",
             out.get("pt-stack", ""), "kite-pt rsp: the user stack is writable and not executable")
    c.search(r"not present\n  not mapped: the walk stops at the P\w+ entry", out.get("pt-null", ""),
             "kite-pt 0: not mapped")
    c.search(r"physical address 0x[0-9a-f]+ \(kernel-only, read-only, executable;",
             out.get("pt-kernel", ""), "kite-pt kernel kernel_main: kernel text")

    bt = out.get("bt-sleep", "")
    c.search(rf"^thread {sleep_tid} \(sleep\) of pid {sleep_pid}, Blocked, switched out at rsp 0x",
             bt, "kite-bt sleep: the header")
    expected_chain = ["kite::Scheduler::schedule", "kite::WaitQueue::wait",
                      "kite::Scheduler::sleep_interruptible_ns", "kite::sys_nanosleep",
                      "syscall_dispatch", "syscall_entry"]
    positions = [bt.find(" in " + name) for name in expected_chain]
    c.check(all(p >= 0 for p in positions) and positions == sorted(positions),
            f"kite-bt sleep: the frames {' -> '.join(expected_chain)} in order")
    c.search(rf"^    \[system call 35 \(nanosleep\) from user mode at rip {user_rip:#x}, "
             rf"rsp {user_rsp:#x}", bt, "kite-bt sleep: ends at the user's nanosleep call")
    c.search(r" in kite::Process::wait_for_child\(.*\n.* in kite::sys_wait4\(.*\n(.*\n)*"
             r"    \[system call 61 \(wait4\) from user mode", out.get("bt-init", ""),
             "kite-bt init: in wait4")
    # The stop happens on the way out of a system call that has returned.
    c.search(r" in kite::Process::stop\(.*\n.* in kite::Process::deliver_signals\(.*\n(.*\n)*"
             r"    \[system call \(its handler has returned: rax holds the result -?\d+\) "
             r"from user mode",
             out.get("bt-stopped", ""), "kite-bt stopped shell: stopped while delivering a signal")
    return c.failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--gdbinit", required=True, help="build/kite.gdbinit")
    args = parser.parse_args()
    if not shutil.which("gdb"):
        print("SKIPPED: gdb is not installed")
        return 0

    port = free_port()
    gdb = None
    failures = []
    with tempfile.TemporaryDirectory(prefix="kite-gdb-") as workdir, \
            Machine(args.iso, extra=["-gdb", f"tcp:127.0.0.1:{port}"], echo=False) as machine:
        try:
            machine.expect(PROMPT, 60)
            shell = {}
            # A job that stops itself: a process waiting for SIGCONT.
            machine.send("sh -c 'kill -STOP $$' &\n")
            shell["stopped"] = int(machine.expect(r"^\[\d+\] (\d+)$", 20)[1])
            machine.expect(PROMPT, 20)
            machine.send("ps\n")
            shell["sh"] = int(machine.expect(r"^ +(\d+) +1 +\d+ +\d+ +\w +[\d:.]+ sh$", 20)[1])
            machine.expect(PROMPT, 20)

            script = os.path.join(workdir, "session.gdb")
            with open(script, "w") as f:
                f.write(SESSION.format(port=port, stopped_pid=shell["stopped"]))
            gdb = Gdb(["gdb", "-q", "-batch", "-nx", "-x", args.gdbinit, "-x", script,
                       "-ex", "kite-bt 99999", "-ex", "detach"])
            # GDB has attached (QEMU is halted) and the breakpoint is in:
            # only now may the sleep start.
            gdb.expect("KITE-GDB-READY", 30)
            machine.send("sleep 100 | cat &\n")
            code = gdb.wait(60)
            print(gdb.output)
            # The shell printed the job before GDB stopped the idle CPU.
            shell["job"] = int(machine.expect(r"^\[\d+\] (\d+)$", 10)[1])
            output = gdb.output
            out = sections(output)
            failures = check_session(out, shell, machine)
            if "kite: no thread 99999 (kite-ps lists them)" not in output:
                failures.append("kite-bt of an unknown thread says so")
            if "Traceback" in output or "Python Exception" in output:
                failures.append("a helper raised a Python exception")
            if code != 0:
                print(f"(gdb exited with {code})")
        except Timeout as error:
            if gdb:
                print(gdb.output)
            print(f"FAIL: {error}")
            return 1
        finally:
            if gdb:
                gdb.kill()
    if failures:
        print(f"FAIL: {len(failures)} checks failed: " + "; ".join(failures))
        return 1
    print("The GDB helpers showed the processes, page tables and backtraces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
