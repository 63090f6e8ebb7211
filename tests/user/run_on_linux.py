#!/usr/bin/env python3
"""Runs one of Kite's user-space test programs on the build machine's Linux
(the same static binary Kite runs) and checks it ended as it must: status 0,
or, for crash_<signal>_..., killed by that signal. This is how the tests
assert Linux's behaviour and not only Kite's."""
import argparse
import ctypes
import os
import signal
import subprocess
import sys

CLONE_NEWNS = 0x00020000
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18


class PrivateTmp:
    """The programs use fixed names under /tmp, as they do on Kite. On the
    build machine each run gets a /tmp of its own (a tmpfs in a private
    mount namespace), so two runs at once (two ctest runs, or a test built
    twice) cannot see each other's files, and nothing is left in the
    machine's /tmp. It is made in the child between fork and exec, by system
    calls and not by helper programs: a helper would be a child whose CPU
    time the test then finds in its children's times. The directories
    holding the binary and its data are bound back at their own paths, in
    case the build directory is itself under /tmp; the bind goes through a
    descriptor opened before the tmpfs hid them. Without the right to make
    mount namespaces (not root), the machine's /tmp is used, and ctest's
    RESOURCE_LOCK keeps the runs of one ctest apart."""

    def __init__(self, directories):
        self.directories = directories
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.made = False

    def mount(self, source, target, kind, flags, options):
        encode = lambda text: text.encode() if text is not None else None
        return self.libc.mount(encode(source), encode(target), encode(kind), ctypes.c_ulong(flags),
                               encode(options)) == 0

    def __call__(self):  # in the child, before exec
        if os.geteuid() != 0 or self.libc.unshare(CLONE_NEWNS) != 0:
            return
        if not self.mount("none", "/", None, MS_REC | MS_PRIVATE, None):
            os._exit(125)
        held = [os.open(directory, os.O_PATH | os.O_DIRECTORY) for directory in self.directories]
        if not self.mount("kite-test-tmp", "/tmp", "tmpfs", 0, "mode=1777,size=512m"):
            os._exit(125)
        for directory, fd in zip(self.directories, held):
            if directory.startswith("/tmp/"):
                os.makedirs(directory, exist_ok=True)
                if not self.mount(f"/proc/self/fd/{fd}", directory, None, MS_BIND, None):
                    os._exit(125)
        for fd in held:
            os.close(fd)


def kill_session(session):
    """Kills every process of the session, those in other process groups
    (tests make some) included."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # the field after state, ppid, pgrp
                os.kill(int(entry), signal.SIGKILL)
        except (OSError, IndexError, ValueError):
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    binary, data = os.path.abspath(args.binary), os.path.abspath(args.data)
    name = os.path.basename(binary)
    expected_signal = None
    if name.startswith("crash_"):
        expected_signal = getattr(signal, name.split("_")[1].upper())
    # A session of its own, so that a run that hangs is ended with every
    # process it started, not just the first.
    with subprocess.Popen([binary, data], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, cwd="/", text=True, start_new_session=True,
                          preexec_fn=PrivateTmp([os.path.dirname(binary), data])) as test:
        try:
            output, _ = test.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            kill_session(test.pid)
            output, _ = test.communicate()
            sys.stdout.write(output)
            print(f"FAIL: {name} did not end within 60 s on Linux")
            return 1
    sys.stdout.write(output)
    if test.returncode == 125:
        print(f"FAIL: could not give {name} a private /tmp")
        return 1
    if expected_signal is not None:
        if test.returncode != -expected_signal:
            print(f"FAIL: {name} ended with {test.returncode}, expected signal {expected_signal}")
            return 1
        print(f"{name}: killed by signal {expected_signal} on Linux, as on Kite")
        return 0
    if test.returncode != 0:
        print(f"FAIL: {name} exited with {test.returncode} on Linux")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
