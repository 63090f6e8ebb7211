#!/usr/bin/env python3
"""Console input tests, through the real ISO and the kernel monitor:
- serial: a line typed in the terminal (with Backspace, Ctrl-U and Ctrl-W
  editing) is echoed and executed as edited; Ctrl-C drops a line; a burst
  longer than the UART FIFO arrives whole;
- keyboard: keys sent with QEMU's `sendkey` reach the monitor through the
  PS/2 controller, IRQ 1 and the scancode decoder, with Shift and Ctrl
  applied; the VGA screen shows the result.
"""
import argparse
import sys

from kite_qemu import Machine, Timeout

PROMPT = r"kite> "


def sendkeys(machine, keys):
    for key in keys:
        machine.monitor(f"sendkey {key}")


def type_text(machine, text):
    """Types text on the PS/2 keyboard, one sendkey per character."""
    names = {" ": "spc", "-": "minus", "\n": "ret", ".": "dot"}
    keys = []
    for c in text:
        if c.isupper():
            keys.append(f"shift-{c.lower()}")
        elif c == "!":
            keys.append("shift-1")
        else:
            keys.append(names.get(c, c))
    sendkeys(machine, keys)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    args = parser.parse_args()
    checks = []

    with Machine(args.iso, append="init=/bin/hello") as machine:
        try:
            machine.expect(PROMPT, 60)

            # Serial: echo, Backspace (DEL), then Enter as CR.
            machine.send("echo serial okX\x7f\r")
            machine.expect(r"^serial ok$", 10)
            checks.append("serial line with Backspace")
            machine.expect(PROMPT, 10)

            # Ctrl-U kills the line, Ctrl-W the last word.
            machine.send("junk words\x15echo kept gone\x17\r")
            machine.expect(r"^kept $", 10)
            checks.append("Ctrl-U and Ctrl-W")
            machine.expect(PROMPT, 10)

            # Ctrl-C drops the line and gives a new prompt.
            machine.send("echo never\x03")
            machine.expect(r"\^C\n" + PROMPT, 10)
            machine.send("echo after\r")
            machine.expect(r"^after$", 10)
            checks.append("Ctrl-C")
            machine.expect(PROMPT, 10)

            # A burst much longer than the 16-byte FIFO.
            burst = "".join(chr(ord("a") + i % 26) for i in range(600))
            machine.send(f"echo {burst}\r")
            machine.expect("^" + burst + "$", 20)
            checks.append("600-byte burst")
            machine.expect(PROMPT, 10)

            # Keyboard: Shift makes capitals and '!', Backspace erases.
            type_text(machine, "echo Hi!x")
            sendkeys(machine, ["backspace", "ret"])
            machine.expect(r"^Hi!$", 10)
            checks.append("PS/2 with Shift")
            machine.expect(PROMPT, 10)

            # Ctrl-U from the keyboard erases what was typed.
            type_text(machine, "junk")
            sendkeys(machine, ["ctrl-u"])
            type_text(machine, "echo Ctrl works\n")
            machine.expect(r"^Ctrl works$", 10)
            checks.append("PS/2 with Ctrl")
            machine.expect(PROMPT, 10)

            # Arrow keys become ANSI sequences, which the line keeps as text:
            # ESC is echoed as ^[ (ECHOCTL).
            sendkeys(machine, ["up"])
            machine.expect(r"\^\[\[A", 10)
            sendkeys(machine, ["ctrl-u"])
            checks.append("arrow key as an escape sequence")

            # (QEMU spaces sendkey events out in time, so stay on the
            # keyboard: serial bytes could overtake them.)
            type_text(machine, "irqs\n")
            keyboard = int(machine.expect(r"keyboard bytes (\d+), serial bytes \d+", 10).group(1))
            if keyboard < 20:
                raise Timeout(f"only {keyboard} bytes came from the keyboard")
            screen = machine.vga_text()
            if not any(line == "Hi!" for line in screen):
                raise Timeout("the VGA screen does not show the keyboard's output")
            checks.append("VGA shows it")
        except Timeout as error:
            print(f"\nFAIL after {checks}: {error}")
            return 1
    print(f"\nconsole tests passed: {', '.join(checks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
