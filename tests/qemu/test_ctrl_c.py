#!/usr/bin/env python3
"""Ctrl-C typed on the serial console ends the foreground job and only it:
boots with init=/interactive/interactive_ctrlc, waits for its looping child,
sends Ctrl-C (byte 3), and checks that the child died of SIGINT while the
parent lived on, took the terminal back and exited 0."""
import argparse
import sys
import time

from kite_qemu import Machine, Timeout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    args = parser.parse_args()
    with Machine(args.iso, append="init=/interactive/interactive_ctrlc") as machine:
        try:
            machine.expect(r"running in the foreground; press Ctrl-C", 60)
            time.sleep(0.3)  # let the child spin a few time slices
            machine.send("\x03")
            machine.expect(r"^child ended by signal 2$", 20)
            machine.expect(r"^parent still alive$", 10)
            machine.expect(r"interactive_ctrlc exited with wait status 0x0$", 10)
            machine.expect(r"^kite> ", 10)
        except Timeout as error:
            print(f"\nFAIL: {error}")
            return 1
    print("\nCtrl-C stopped the foreground child, not its parent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
