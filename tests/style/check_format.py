#!/usr/bin/env python3
"""Checks that every C, C++ and header file of Kite's own code is formatted
as the root .clang-format says (the build's warnings are errors; so is the
style). Prints each file that differs and the command that fixes it."""
import argparse
import os
import shutil
import subprocess
import sys

FOLDERS = ("kernel", "user", "libc-port", "tests")
SUFFIXES = (".c", ".cpp", ".h", ".hpp")


def sources(root):
    for folder in FOLDERS:
        for directory, subdirs, files in os.walk(os.path.join(root, folder)):
            subdirs.sort()
            for name in sorted(files):
                if name.endswith(SUFFIXES):
                    yield os.path.join(directory, name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    tool = shutil.which("clang-format")
    if tool is None:
        print("SKIPPED: clang-format is not installed (tests/deps.sh installs it)")
        return 77
    files = list(sources(args.root))
    # One clang-format for many files: started once per file it took most
    # of a minute, and over two on a busy machine. Each difference is
    # reported as "path:line:column: error: ...".
    bad = set()
    for first in range(0, len(files), 100):
        batch = files[first:first + 100]
        result = subprocess.run([tool, "--dry-run", "-Werror"] + batch, cwd=args.root,
                                capture_output=True, text=True)
        if result.returncode != 0:
            named = {path for path in batch if path + ":" in result.stderr}
            if not named:
                print(result.stderr)
                print("FAIL: clang-format failed without naming a file")
                return 1
            bad |= named
    bad = sorted(os.path.relpath(path, args.root) for path in bad)
    if bad:
        for path in bad:
            print(f"not formatted: {path}")
        print("fix with: clang-format -i " + " ".join(bad))
        return 1
    print(f"{len(files)} files formatted as .clang-format says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
