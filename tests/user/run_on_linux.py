#!/usr/bin/env python3
"""Runs one of Kite's user-space test programs on the build machine's Linux
(the same static binary Kite runs) and checks it ended as it must: status 0,
or, for crash_<signal>_..., killed by that signal. This is how the tests
assert Linux's behaviour and not only Kite's."""
import argparse
import os
import signal
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    name = os.path.basename(args.binary)
    expected_signal = None
    if name.startswith("crash_"):
        expected_signal = getattr(signal, name.split("_")[1].upper())
    result = subprocess.run([args.binary, args.data], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL, cwd="/")
    sys.stdout.write(result.stdout)
    sys.stdout.write(result.stderr)
    if expected_signal is not None:
        if result.returncode != -expected_signal:
            print(f"FAIL: {name} ended with {result.returncode}, expected signal {expected_signal}")
            return 1
        print(f"{name}: killed by signal {expected_signal} on Linux, as on Kite")
        return 0
    if result.returncode != 0:
        print(f"FAIL: {name} exited with {result.returncode} on Linux")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
