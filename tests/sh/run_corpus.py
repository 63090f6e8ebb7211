#!/usr/bin/env python3
"""The shell corpus (tests/sh/corpus/*.sh, issue 14): runs every script with
a shell under test and with dash (the oracle), each as `SHELL script` in a
fresh temporary directory with a fixed environment, and compares stdout and
exit status. Prints ok or FAIL (with a unified diff) per script and a count;
exits 1 if any differ.

  run_corpus.py --shell build/user/root/bin/sh      Kite's sh on this machine
  run_corpus.py --list                              the scripts' names
  run_corpus.py --shell X --only case_patterns,trap_exit
  run_corpus.py --kite build/kite.iso               Kite's sh on Kite, under QEMU

Kite mode boots the ISO once and types `/test/sh_corpus /test/sh SKIPPED...`
at its shell: that program (tests/sh/kite_runner.c) runs each script the way
run() does here and prints its status and stdout in hex, which are compared
with dash's run here. (PATH's programs there are Kite's own.)"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
DASH = "/usr/bin/dash"
TIMEOUT = 20


def scripts(only):
    """The corpus's script names in sorted order, or the chosen ones."""
    names = sorted(f[:-3] for f in os.listdir(CORPUS) if f.endswith(".sh"))
    if only:
        wanted = only.split(",")
        missing = [n for n in wanted if n not in names]
        if missing:
            sys.exit("no such script: " + ", ".join(missing))
        return wanted
    return names


def run(shell, name):
    """(stdout bytes, status text) of one script in a fresh directory; the
    environment is fixed so nothing of the caller's leaks in."""
    with tempfile.TemporaryDirectory(prefix="shcorpus-") as work:
        env = {"PATH": "/bin:/usr/bin", "HOME": work, "TMPDIR": work, "LC_ALL": "C"}
        try:
            p = subprocess.run([shell, os.path.join(CORPUS, name + ".sh")], cwd=work, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, timeout=TIMEOUT)
            return p.stdout, f"status {p.returncode}"
        except subprocess.TimeoutExpired as e:
            return e.stdout or b"", "timeout"


def run_on_kite(iso, skipped):
    """{name: (stdout bytes, status text)} for every script but the skipped
    ones, run by Kite's sh inside Kite."""
    from kite_qemu import Machine
    results = {}
    with Machine(iso, echo=False) as machine:
        machine.expect(r"^/ \$ ", 120)
        machine.send("/test/sh_corpus /test/sh " + " ".join(skipped) + "\n")
        machine.expect(r"^sh-corpus: done, \d+ scripts$", 900)
        current, output = None, bytearray()
        for line in machine.output.splitlines():
            start = re.match(r"^== (\S+) (status -?\d+|timeout)$", line)
            if start:
                current, status = start.group(1), start.group(2)
                output = bytearray()
            elif current and line.startswith("> "):
                output += bytes.fromhex(line[2:].strip())
            elif current and line == "== end":
                results[current] = (bytes(output), status)
                current = None
    return results


def compare(name, got, want):
    """The unified diff of two (stdout, status) results, empty when equal."""
    def lines(result):
        return result[0].decode("latin-1").splitlines(keepends=True) + ["[" + result[1] + "]\n"]
    return "".join(difflib.unified_diff(lines(want), lines(got), "dash/" + name, "shell/" + name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", help="the shell under test")
    parser.add_argument("--kite", metavar="ISO", help="run the corpus inside Kite (booted from ISO)")
    parser.add_argument("--dash", default=DASH)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--only", help="comma-separated script names")
    parser.add_argument("--skip-file", help="scripts not run (reported as skipped): a name per "
                        "line, then why; # starts a comment")
    args = parser.parse_args()
    names = scripts(args.only)
    skipped = []
    if args.skip_file:
        with open(args.skip_file) as f:
            listed = {line.split()[0] for line in f if line.strip() and not line.startswith("#")}
        unknown = listed - set(names)
        if unknown and not args.only:
            sys.exit("not in the corpus: " + ", ".join(sorted(unknown)))
        skipped = [n for n in names if n in listed]
        names = [n for n in names if n not in listed]
    if args.list:
        print("\n".join(names))
        return 0
    if not args.shell and not args.kite:
        parser.error("--shell or --kite is needed")
    kite = None
    if args.kite:
        all_names = scripts(None)
        kite = run_on_kite(args.kite, [n for n in all_names if n not in names])
    failed = 0
    for name in names:
        if kite is not None:
            got = kite.get(name, (b"", "not run on Kite"))
        else:
            got = run(os.path.abspath(args.shell), name)
        diff = compare(name, got, run(args.dash, name))
        if diff:
            failed += 1
            print(f"FAIL: {name}\n{diff}", end="" if diff.endswith("\n") else "\n")
        else:
            print(f"ok: {name}")
    for name in skipped:
        print(f"SKIPPED: {name}")
    print(f"{len(names) - failed} of {len(names)} scripts give dash's output and status"
          + (f"; {len(skipped)} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
