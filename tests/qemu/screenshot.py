#!/usr/bin/env python3
"""Takes docs/shell.png: boots kite.iso, types a few commands into the shell,
dumps the VGA screen with QEMU's `screendump` (PPM) and writes it as PNG.
    python3 tests/qemu/screenshot.py --iso build/kite.iso --out docs/shell.png"""
import argparse
import os
import struct
import sys
import tempfile
import time
import zlib

from kite_qemu import Machine


def ppm_to_png(ppm_path, png_path):
    data = open(ppm_path, "rb").read()
    # Binary PPM (P6): magic, width, height, maxval, one whitespace byte, RGB.
    fields, position = [], 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        start = position
        while not data[position:position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    magic, width, height = fields[0], int(fields[1]), int(fields[2])
    if magic != b"P6" or int(fields[3]) != 255:
        raise ValueError("not an 8-bit binary PPM")
    pixels = data[position + 1:]
    rows = b"".join(b"\0" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    with open(png_path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        out.write(chunk(b"IDAT", zlib.compress(rows, 9)))
        out.write(chunk(b"IEND", b""))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with Machine(args.iso, echo=False) as machine:
        machine.expect(r"^/ \$ ", 60)
        for command in ["hello", "ls /bin", "echo hi | cat | wc -c", "uname -a", "free"]:
            machine.send(command + "\n")
            machine.expect(r"^/ \$ ", 20)
        time.sleep(0.5)  # VGA follows serial
        with tempfile.TemporaryDirectory() as directory:
            ppm = os.path.join(directory, "screen.ppm")
            machine.monitor(f"screendump {ppm}")
            time.sleep(0.5)
            ppm_to_png(ppm, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
