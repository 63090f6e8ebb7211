#!/usr/bin/env python3
"""The shell corpus (tests/sh/corpus/*.sh, issue 14): runs every script with
a shell under test and with dash (the oracle), each as `SHELL script` in a
fresh temporary directory with a fixed environment, and compares stdout and
exit status. Prints ok or FAIL (with a unified diff) per script and a count;
exits 1 if any differ.

  run_corpus.py --shell build/user/root/bin/sh      Kite's sh on this machine
  run_corpus.py --list                              the scripts' names
  run_corpus.py --shell X --only case_patterns,trap_exit
(Kite mode, the corpus run inside Kite under QEMU, is not written yet.)"""
import argparse
import difflib
import os
import subprocess
import sys
import tempfile

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


def compare(name, got, want):
    """The unified diff of two (stdout, status) results, empty when equal."""
    def lines(result):
        return result[0].decode("latin-1").splitlines(keepends=True) + ["[" + result[1] + "]\n"]
    return "".join(difflib.unified_diff(lines(want), lines(got), "dash/" + name, "shell/" + name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", help="the shell under test")
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
    if not args.shell:
        parser.error("--shell is needed")
    failed = 0
    for name in names:
        diff = compare(name, run(os.path.abspath(args.shell), name), run(args.dash, name))
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
