#!/usr/bin/env python3
"""Boot-to-shell test: boots the real kite.iso as a user would (GRUB, the
kernel, /sbin/init, /bin/sh), waits for the prompt on the serial console,
types commands and checks what they print. Each step names what it shows."""
import argparse
import sys
import time

from kite_qemu import Machine, Timeout


def prompt(directory="/"):
    return "^" + directory.replace("/", r"\/") + r" \$ "


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--motd", required=True)
    args = parser.parse_args()
    motd_first_line = open(args.motd).readline().strip()

    steps = 0
    with Machine(args.iso) as machine:
        def run(command, *patterns, directory="/", timeout=20):
            nonlocal steps
            machine.send(command + "\n")
            for pattern in patterns:
                machine.expect(pattern, timeout)
            machine.expect(prompt(directory), timeout)
            steps += 1

        try:
            machine.expect(prompt(), 60)
            run("hello", r"^Hello from userspace!$")
            run("ls /bin", r"^hello$", r"^sh$")
            run("echo hi | cat | wc -c", r"^3$")
            run("cat /etc/motd > /tmp/m; cat /tmp/m", "^" + motd_first_line.replace("(", r"\(").replace(")", r"\)"))
            run("cd /tmp; pwd", r"^/tmp$", directory="/tmp")
            run("cd /", directory="/")
            run("nosuchcommand; echo status=$?", r"^sh: nosuchcommand: command not found$",
                r"^status=127$")
            run("echo 'a  b' \"$HOME\" x${NOPE}y && false || echo or-ran", r"^a  b / xy$",
                r"^or-ran$")
            run("echo x > /nodir/file", r"^sh: /nodir/file: No such file or directory$")
            run("/test/crash_sigsegv_null_write; echo status=$?", r"^Segmentation fault$",
                r"^status=139$")
            # Ctrl-C stops the foreground job, not the shell.
            machine.send("sleep 10\n")
            time.sleep(1.5)
            machine.send("\x03")
            machine.expect(prompt(), 10)
            run("echo after-ctrl-c=$?", r"^after-ctrl-c=130$")
            run("echo 'echo script ran' > /tmp/s; sh /tmp/s", r"^script ran$")
            run("sleep 1 & jobs", r"^\[1\] \d+$", r"^\[1\] Running sleep 1$")
            # Leaving the shell: init starts a new one.
            machine.send("exit 3\n")
            machine.expect(r"^init: the shell exited with status 3; starting a new one$", 20)
            machine.expect(prompt(), 20)
            machine.send("\x04")  # Ctrl-D at an empty prompt
            machine.expect(r"^init: the shell exited with status 0; starting a new one$", 20)
            machine.expect(prompt(), 20)
            steps += 2
        except Timeout as error:
            print(f"\nFAIL after {steps} steps: {error}")
            return 1
    print(f"\nshell: {steps} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
