#!/usr/bin/env python3
"""sh.memory (issue 14): a shell runs a script of 10 000 lines and a loop of
100 000 iterations without its memory growing, and a script that starts
500 background jobs leaves no zombie behind. The script itself reads the
shell's resident size (VmRSS in /proc/$$/status, so on this machine's Linux)
after a warm-up of the same commands and again at the end; the growth must
stay within a few pages (code and data first touched late, malloc's
rounding), far below what keeping a parse tree or a string per line or
iteration would take.

    memory_check.py --shell build/user/root/bin/sh [--shell /usr/bin/dash]"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ALLOWED_KIB = 64  # a tree or a string per line of 10 000 would be 100s of KiB
RSS = "grep VmRSS /proc/$$/status\n"


def line_script(lines):
    body = "x=$((x + 1)); y=\"$x-$x\"; case $y in *-*) : ;; esac\n"
    return "x=0\n" + body * 100 + RSS + body * (lines - 100) + RSS + "echo x=$x\n"


def loop_script(iterations):
    loop = "i=0; while [ $i -lt {n} ]; do i=$((i + 1)); s=\"a$i\"; done\n"
    return loop.format(n=100) + RSS + loop.format(n=iterations) + RSS + "echo i=$i\n"


def growth(shell, text, expected_last):
    """The shell's VmRSS growth in KiB between the script's two readings."""
    with tempfile.TemporaryDirectory(prefix="shmem-") as work:
        path = os.path.join(work, "script.sh")
        with open(path, "w") as f:
            f.write(text)
        out = subprocess.run([shell, path], cwd=work, capture_output=True, text=True, timeout=300,
                             env={"PATH": "/bin:/usr/bin"})
    lines = out.stdout.splitlines()
    readings = [int(line.split()[1]) for line in lines if line.startswith("VmRSS:")]
    if out.returncode != 0 or len(readings) != 2 or lines[-1] != expected_last:
        sys.exit(f"{shell}: unexpected run (status {out.returncode}): {out.stdout[-300:]}{out.stderr[-300:]}")
    return readings[1] - readings[0], readings


def zombie_children(pid):
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == pid:
            count += 1
    return count


def zombies(shell):
    """How many zombie children the shell has after 500 background jobs,
    once it has forked again (it reaps before a fork). Asked again, after
    one more fork each time, while some remain (a job may end late on a
    busy machine); a shell that does not reap keeps all 500."""
    script = ("i=0; while [ $i -lt 500 ]; do true & i=$((i + 1)); done\n"
              "while /bin/true; do echo ready; read line || break; done\n")
    p = subprocess.Popen([shell, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, env={"PATH": "/bin:/usr/bin"})
    try:
        count = None
        for attempt in range(40):
            if p.stdout.readline().strip() != "ready":
                sys.exit(f"{shell}: the zombie script did not get ready")
            count = zombie_children(p.pid)
            if count == 0:
                break
            time.sleep(0.25)
            p.stdin.write("\n")
            p.stdin.flush()
        return count
    finally:
        p.stdin.close()
        p.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", action="append", required=True)
    args = parser.parse_args()
    failed = 0
    for shell in args.shell:
        for what, text, last in (("10 000 lines", line_script(10000), "x=10000"),
                                 ("100 000 iterations", loop_script(100000), "i=100000")):
            grew, readings = growth(shell, text, last)
            ok = grew <= ALLOWED_KIB
            failed += not ok
            print(f"{'ok' if ok else 'FAIL'}: {shell}: {what}: VmRSS {readings[0]} -> {readings[1]} KiB"
                  f" (grew {grew} KiB, at most {ALLOWED_KIB} allowed)")
        left = zombies(shell)
        failed += left != 0
        print(f"{'ok' if left == 0 else 'FAIL'}: {shell}: 500 background jobs: {left} zombies left")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
