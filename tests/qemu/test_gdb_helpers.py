#!/usr/bin/env python3
"""The GDB helpers of kernel/scripts/kite_gdb.py (kite-ps, kite-pt, kite-bt),
run on a real boot: the ISO boots into /sbin/init and /bin/sh, a background
shell stops itself, then GDB attaches (through build/kite.gdbinit, as README.md
says) and the shell gets two lines: `sleep 100 | cat &` and then
`sh -c 'exec 3<&0; cat <&3 & cat'`, whose two cats read the console at once and both wait
for input (the console's reader mutex is never held while waiting). GDB
breaks when the sleep calls nanosleep and when a cat reads the console (in
either order), then when the CPU next goes idle, so
that every process is asleep at a known place, and runs the commands. Their
output is checked against what the shell reported and, for the page walk,
against QEMU's view of physical memory.

    python3 tests/qemu/test_gdb_helpers.py --iso build/kite.iso --gdbinit build/kite.gdbinit
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from kite_qemu import Machine, Timeout, _die_with_parent, read_available

PROMPT = r"^/ \$ "
# Typed after GDB has attached and set its breakpoints, one at a prompt each
# (the second would otherwise be typed ahead while the shell runs the first).
SLEEP_LINE = "sleep 100 | cat &\n"
# (A background command's standard input is /dev/null in a shell without
# job control, as POSIX says: the first cat reads the console through fd 3.)
READERS_LINE = "sh -c 'exec 3<&0; cat <&3 & cat'\n"
GDB_TIMEOUT = 90  # the whole session; QEMU (TCG) boots and runs it in a few seconds

# GDB's session. A Python loop continues until both the sleep's nanosleep
# and a cat's console read have been seen (they may come in
# either order); at each it notes the running thread. Then it stops at the
# next idle loop, when everything has settled. Each helper command runs
# through kite-test-try, so that one failing command does not end the session:
# its error shows as "KITE-ERROR: ...". Marker lines split the output.
SESSION = r"""
set pagination off
set confirm off
target remote 127.0.0.1:{port}
python
import gdb

class KiteTestTry(gdb.Command):
    def __init__(self):
        super().__init__("kite-test-try", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        try:
            gdb.execute(argument)
        except gdb.error as error:
            print(f"KITE-ERROR: {{error}}")

KiteTestTry()
# The thread on the CPU that stopped (QEMU's gdbstub: one GDB thread per CPU).
RUNNING = "cpu_locals[$_thread - 1].current"
kite_test_breaks = {{
    "sleep": gdb.Breakpoint("kite::sys_nanosleep"),
    "reader": gdb.Breakpoint("kite::console_tty::read(kite::IoBuffer const&, unsigned long)"),
}}
kite_test_breaks["reader"].condition = (
    "$_streq(" + RUNNING + "->m_process->m_name, \"cat\")")
end
echo KITE-GDB-READY\n
python
for _ in range(50):
    if not kite_test_breaks:
        break
    gdb.execute("continue")
    for what, bp in list(kite_test_breaks.items()):
        if bp.hit_count > 0:
            gdb.execute(f"set ${{what}}_tid = {{RUNNING}}->m_id")
            gdb.execute(f"set ${{what}}_pid = {{RUNNING}}->m_process->m_pid")
            print(f"KITE-HIT {{what}}")
            bp.delete()
            del kite_test_breaks[what]
# A zombie, found without the helpers: its user memory is gone.
process = gdb.parse_and_eval("'kite::(anonymous namespace)::all_processes'")
zombie = -1
for _ in range(1000):
    if int(process) == 0:
        break
    if str(process["m_state"]).endswith("Zombie"):
        zombie = int(process["m_pid"])
    process = process["m_next"]
gdb.set_convenience_variable("zombie_pid", zombie)
end
delete
tbreak 'kite::(anonymous namespace)::idle_loop'
continue
echo KITE-BEGIN ids\n
kite-test-try set $frame = $kite_user_frame($sleep_pid)
kite-test-try printf "sleep pid %d tid %d user rip %#lx rsp %#lx\n", $sleep_pid, $sleep_tid, $frame->rip, $frame->rsp
kite-test-try printf "console reader pid %d tid %d\n", $reader_pid, $reader_tid
kite-test-try printf "zombie pid %d\n", $zombie_pid
echo KITE-BEGIN ps\n
kite-test-try kite-ps
echo KITE-BEGIN cpus\n
kite-test-try kite-cpus
echo KITE-BEGIN pt-rip\n
kite-test-try kite-pt $sleep_pid $frame->rip
echo KITE-BEGIN pt-stack\n
kite-test-try kite-pt $sleep_pid $frame->rsp
echo KITE-BEGIN pt-null\n
kite-test-try kite-pt $sleep_pid 0
echo KITE-BEGIN pt-kernel\n
kite-test-try kite-pt kernel kernel_main
echo KITE-BEGIN pt-zombie\n
kite-test-try kite-pt $zombie_pid 0
echo KITE-BEGIN bt-sleep\n
kite-test-try kite-bt $sleep_tid
echo KITE-BEGIN bt-reader\n
kite-test-try kite-bt $reader_tid
echo KITE-BEGIN bt-init\n
kite-test-try kite-bt $kite_process(1)->m_threads->m_id
echo KITE-BEGIN bt-stopped\n
kite-test-try kite-bt $kite_process({stopped_pid})->m_threads->m_id
echo KITE-BEGIN bt-unknown\n
kite-test-try kite-bt 99999
echo KITE-BEGIN end\n
detach
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gdb:
    """GDB in batch mode on a pipe, read as it goes (with deadlines)."""

    def __init__(self, command):
        # Killed with this script too, like QEMU (kite_qemu.Machine).
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        os.set_blocking(self.process.stdout.fileno(), False)
        self.output = ""

    def _read(self, timeout):
        data = read_available(self.process.stdout, timeout)
        if data is None:
            return True
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


PROCESS_LINE = re.compile(r"^ +(\d+) +(\d+) +(\d+) +(\d+)  (\S+) +(.*)\n"
                          r" {12}tid (\d+) +(\S+)(?: \(on CPU \d+\))?(?:  (.*))?$", re.MULTILINE)


def ps_processes(ps):
    """kite-ps's processes (those with a thread line), by pid."""
    result = {}
    for m in PROCESS_LINE.finditer(ps):
        result[int(m[1])] = {"ppid": int(m[2]), "pgid": int(m[3]), "sid": int(m[4]), "name": m[5],
                             "state": m[6], "tid": int(m[7]), "thread": m[8], "waits": m[9] or ""}
    return result


def check_session(out, shell, machine):
    """Checks the helpers' output; returns the list of failures."""
    c = Checker()
    ids = c.search(r"sleep pid (\d+) tid (\d+) user rip (0x[0-9a-f]+) rsp (0x[0-9a-f]+)",
                   out.get("ids", ""), "the sleep's ids and user registers")
    waiter = c.search(r"console reader pid (\d+) tid (\d+)", out.get("ids", ""),
                      "a cat that reads the console")
    zombie = c.search(r"zombie pid (\d+)", out.get("ids", ""), "a zombie's pid")
    if not ids or not waiter or not zombie:
        return c.failures
    sleep_pid, sleep_tid = int(ids[1]), int(ids[2])
    user_rip, user_rsp = int(ids[3], 16), int(ids[4], 16)
    waiter_pid, waiter_tid = int(waiter[1]), int(waiter[2])
    zombie_pid = int(zombie[1])

    ps = out.get("ps", "")
    thread = r"\n +tid \d+ +"
    sh = shell["sh"]
    c.search(r"^ +1 +0 +1 +1  init +Running" + thread + r"Blocked  on pid 1's m_child_event",
             ps, "kite-ps: init (pid 1) waits for a child")
    # The shell runs `sh -c 'exec 3<&0; cat <&3 & cat'` in the foreground.
    c.search(rf"^ +{sh} +1 +{sh} +{sh}  sh +Running" + thread
             + rf"Blocked  on pid {sh}'s m_child_event \(waiting for a child: wait4\)$", ps,
             "kite-ps: the shell waits for its foreground job")
    stopped = shell["stopped"]
    c.search(rf"^ +{stopped} +{sh} +{stopped} +{sh}  sh +Stopped \(signal 19\)" + thread
             + rf"Blocked  on pid {stopped}'s m_continued", ps,
             "kite-ps: the stopped shell waits for SIGCONT")
    # The stopped shell cannot reap its background sleep (nor its kill,
    # if the stop came before the shell had reaped it).
    c.search(rf"^ +{zombie_pid} +{stopped} +{stopped} +{sh}  (sleep|kill) +Zombie \(wait status 0x0\)$",
             ps, "kite-ps: the sleep is a zombie")
    job = shell["job"]  # the pipeline's process group: its first process, the sleep
    c.check(sleep_pid == job, f"the sleep that called nanosleep is the job's first process ({job})")
    c.search(rf"^ +{sleep_pid} +{sh} +{job} +{sh}  sleep +Running\n +tid {sleep_tid} +Blocked"
             r"  on a queue on its own stack at 0x[0-9a-f]+ \(a sleep\), "
             r"timeout at [\d.]+ s \(in ~\d+\.\d s\)$", ps, "kite-ps: sleep is Blocked with a timeout")
    c.search(rf"^ +(\d+) +{sh} +{job} +{sh}  cat +Running" + thread
             + r"Blocked  on pipe 0x[0-9a-f]+'s m_readable \(waiting for data\); "
             r"pid \1 has its read end as fd 0$", ps, "kite-ps: cat waits for the pipe")
    # The two console readers both wait for input, neither holding the
    # reader mutex (it is taken only once there is input to copy).
    processes = ps_processes(ps)
    readers = {pid: p for pid, p in processes.items()
               if p["name"] == "cat" and p["pgid"] not in (job, sh) and p["sid"] == sh}
    c.check(len(readers) == 2 and waiter_pid in readers,
            f"kite-ps: two cats read the console, pid {waiter_pid} among them ({sorted(readers)})")
    group = {p["pgid"] for p in readers.values()}
    c.check(len(group) == 1 and processes.get(next(iter(group)), {}).get("ppid") == sh,
            "kite-ps: the readers are one foreground job of the shell")
    for pid, p in readers.items():
        c.check(p["thread"] == "Blocked" and p["waits"]
                == "on the console's readers (waiting for console input)",
                f"kite-ps: cat {pid} waits for console input ({p['waits']!r})")
    if waiter_pid in readers:
        c.check(readers[waiter_pid]["tid"] == waiter_tid,
                f"kite-ps: the reader GDB saw is tid {waiter_tid}")
    c.search(r"^kernel threads:\n(.*\n)*? +tid 0 +Blocked  main  on pid 1's m_exited", ps,
             "kite-ps: the boot thread waits for init to exit")
    c.search(r"^ +tid \d+ +Running \(on CPU 0\)  idle$", ps,
             "kite-ps: the idle thread is on the CPU")
    c.search(r"^CPU 0 \(APIC \d+\): idle tid \d+ \(idle\), 0 queued$", out.get("cpus", ""),
             "kite-cpus: the one CPU runs its idle thread, nothing queued")

    leaf = r"^  PT\[\d+\] +entry 0x[0-9a-f]{16}  P [^\n]*-> 4 KiB page at 0x[0-9a-f]+\n"
    pt_rip = out.get("pt-rip", "")
    for level in ("PML4", "PDPT", "PD"):
        c.search(rf"^  {level}\[\d+\] +entry 0x[0-9a-f]{{16}}  P W U[^\n]*-> ", pt_rip,
                 f"kite-pt rip: a present {level} entry")
    c.search(leaf, pt_rip, "kite-pt rip: a present PT entry")
    physical = c.search(r"^  physical address (0x[0-9a-f]+) \(user, read-only, executable;",
                        pt_rip, "kite-pt rip: the user code's physical address")
    if physical:
        # The page offset survives translation; and the instruction before
        # the saved rip is the sleep's `syscall` (0f 05).
        c.check(int(physical[1], 16) & 0xFFF == user_rip & 0xFFF,
                "kite-pt rip: the physical address keeps the page offset")
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
    c.search(rf"^KITE-ERROR: kite: pid {zombie_pid} \((sleep|kill)\) has no user memory",
             out.get("pt-zombie", ""), "kite-pt of a zombie: it has no user memory")

    bt = out.get("bt-sleep", "")
    c.search(rf"^thread {sleep_tid} \(sleep\) of pid {sleep_pid}, Blocked, switched out at rsp 0x",
             bt, "kite-bt sleep: the header")
    check_chain(c, "kite-bt sleep", bt,
                ["kite::Scheduler::schedule", "kite::WaitQueue::block_locked",
                 "kite::Scheduler::sleep_for", "kite::sys_nanosleep", "syscall_dispatch",
                 "syscall_entry"])
    c.search(rf"^    \[system call 35 \(nanosleep\) from user mode at rip {user_rip:#x}, "
             rf"rsp {user_rsp:#x}", bt, "kite-bt sleep: ends at the user's nanosleep call")
    bt = out.get("bt-reader", "")
    c.search(rf"^thread {waiter_tid} \(cat\) of pid {waiter_pid}, Blocked, switched out at rsp 0x",
             bt, "kite-bt console reader: the header")
    check_chain(c, "kite-bt console reader", bt,
                ["kite::Scheduler::schedule", "kite::WaitQueue::block_locked",
                 "kite::WaitQueue::wait", "kite::console_tty::read",
                 "kite::sys_read", "syscall_entry"])
    c.search(r"^    \[system call 0 \(read\) from user mode at rip 0x[0-9a-f]+, rsp 0x", bt,
             "kite-bt console reader: ends at the user's read call")
    c.search(r" in kite::Process::wait_for_child\(.*\n.* in kite::sys_wait4\(.*\n(.*\n)*"
             r"    \[system call 61 \(wait4\) from user mode", out.get("bt-init", ""),
             "kite-bt init: in wait4")
    # The stop happens on the way back to user mode: from a system call that
    # has returned (kill, wait4) or from an interrupt (the timer, a page
    # fault), whichever the shell was in when its SIGSTOP came.
    c.search(r" in kite::Process::stop\(.*\n.* in kite::Process::deliver_(?:pending_)?signals\(.*\n(.*\n)*"
             r"    \[(system call \(its handler has returned: rax holds the result -?\d+\)"
             r"|interrupt vector \d+) from user mode at rip 0x[0-9a-f]+, rsp 0x[0-9a-f]+ "
             r"\(InterruptFrame at 0x[0-9a-f]+\)\]\n*$",
             out.get("bt-stopped", ""), "kite-bt stopped shell: stopped while delivering a signal")
    c.search(r"^KITE-ERROR: kite: no thread 99999 \(kite-ps lists them\)$",
             out.get("bt-unknown", ""), "kite-bt of an unknown thread says so")
    return c.failures


def check_chain(c, what, bt, chain):
    """The frames name these functions (maybe among others), innermost first."""
    found = [re.search(r" in " + re.escape(name) + r"[(+\s]", bt) for name in chain]
    positions = [m.start() if m else -1 for m in found]
    c.check(all(p >= 0 for p in positions) and positions == sorted(positions),
            f"{what}: the frames {' -> '.join(chain)} in order")


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
            # A job that stops itself (a process waiting for SIGCONT), with
            # a child that exits while it is stopped (a zombie its parent
            # cannot reap). ps shows both before GDB attaches.
            machine.send("sh -c 'sleep 1 & kill -STOP $$' &\n")
            shell["stopped"] = int(machine.expect(r"^\[\d+\] (\d+)$", 20)[1])
            machine.expect(PROMPT, 20)
            for attempt in range(60):
                begin = machine.position()
                machine.send("ps\n")
                end = machine.expect(PROMPT, 20).start()
                if re.search(rf"^ +\d+ +{shell['stopped']} +\d+ +\d+ +Z +[\d:.]+ sleep$",
                             machine.output[begin:end], re.MULTILINE):
                    break
                time.sleep(0.5)
            else:
                raise Timeout("the stopped shell's sleep never became a zombie")
            machine.send("ps\n")
            shell["sh"] = int(machine.expect(r"^ +(\d+) +1 +\d+ +\d+ +\w +[\d:.]+ sh$", 20)[1])
            machine.expect(PROMPT, 20)

            script = os.path.join(workdir, "session.gdb")
            with open(script, "w") as f:
                f.write(SESSION.format(port=port, stopped_pid=shell["stopped"]))
            gdb = Gdb(["gdb", "-q", "-batch", "-nx", "-x", args.gdbinit, "-x", script])
            # GDB has attached (QEMU is halted) and the breakpoints are in:
            # only now may the sleep and the readers start.
            gdb.expect("KITE-GDB-READY", 30)
            machine.send(SLEEP_LINE)
            # GDB lets the machine run on from the sleep's breakpoint until
            # it has seen the readers too.
            shell["job"] = int(machine.expect(r"^\[\d+\] (\d+)$", GDB_TIMEOUT)[1])
            machine.expect(PROMPT, GDB_TIMEOUT)
            machine.send(READERS_LINE)
            code = gdb.wait(GDB_TIMEOUT)
            print(gdb.output)
            output = gdb.output
            failures = check_session(sections(output), shell, machine)
            errors = [line for line in output.splitlines() if line.startswith("KITE-ERROR:")]
            if len(errors) != 2:  # kite-pt of the zombie and kite-bt 99999
                failures.append(f"only the two expected commands fail ({len(errors)} did)")
            if "Traceback" in output or "Python Exception" in output:
                failures.append("a helper raised a Python exception")
            if code != 0:
                failures.append(f"gdb exits with 0 (it exited with {code})")
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
