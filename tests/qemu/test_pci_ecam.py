#!/usr/bin/env python3
"""PCI configuration space through ECAM (ACPI's MCFG) and through the ports.

1. The default machine (i440fx) has no MCFG: Kite says it uses the ports.
2. q35 has an MCFG (ECAM at 0xb0000000, buses 0-255). A PCIe root port is
   added with a virtio-blk disk behind it (bus 1, with ATS, an extended
   capability) holding an ext2 image made here. Kite must say it uses ECAM,
   list the extended capabilities only ECAM reaches (the root port's AER
   and ACS, the disk's ATS, as QEMU builds them), enumerate the host
   bridge, the root port and the disk with its driver, read a file the host
   put on the disk and write one the host then reads back.
3. The same q35 machine with pci=nommconf goes through the ports: the same
   devices, byte for byte in /proc/bus/pci/devices, and no extended
   capabilities (so the lines of 2 came through ECAM).
4. The in-kernel tests of every access width and of writes, on q35."""
import argparse
import os
import shutil
import subprocess
import tempfile

from kite_qemu import EXIT_PASS, Checks, find_tool, Machine, run_main

PROMPT = r"^/ \$ "
PORTS_LINE = r"^pci: configuration through ports 0xCF8/0xCFC \((.*)\)$"
ECAM_LINE = r"^pci: ECAM at 0xb0000000 buses 0-255 \(ACPI MCFG\)$"
GREETING = "hello through ECAM"
KTESTS = "pci_config_widths_agree,pci_config_writes_reach_their_register"


def q35_options(image):
    return ["-M", "q35",
            "-device", "pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1",
            "-drive", f"file={image},format=raw,if=none,id=d0",
            "-device", "virtio-blk-pci,drive=d0,bus=rp1,ats=on"]


def output_of(machine, command, timeout=30):
    start = machine.position()
    machine.send(command + "\n")
    machine.expect(PROMPT, timeout)
    lines = machine.output[start:].splitlines()[1:-1]  # the echoed command and the prompt
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    args = parser.parse_args()
    mke2fs, debugfs = find_tool("mke2fs"), find_tool("debugfs")
    if not (mke2fs and debugfs):
        print("SKIPPED: e2fsprogs (mke2fs, debugfs) not installed")
        return 0
    check = Checks()

    # 1. No MCFG on the default machine; stop as soon as it says so.
    with Machine(args.iso, echo=False) as m:
        reason = m.expect(PORTS_LINE, 60).group(1)
        check(reason == "no MCFG", f"i440fx: configuration through the ports ({reason})")
        check("ECAM" not in m.output and "extended capabilities" not in m.output,
              "i440fx: no ECAM, no extended capabilities")

    with tempfile.TemporaryDirectory(prefix="kite-ecam-") as work:
        tree = os.path.join(work, "tree")
        os.mkdir(tree)
        with open(os.path.join(tree, "hello.txt"), "w") as f:
            f.write(GREETING + "\n")
        image = os.path.join(work, "disk.img")
        subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, image, "8M"],
                       check=True, capture_output=True)

        # 2. ECAM on q35.
        with Machine(args.iso, extra=q35_options(image), echo=False) as m:
            m.expect(ECAM_LINE, 60)
            m.expect(PROMPT, 90)
            boot_log = m.output
            check("pci: 00:02.0 extended capabilities: 0001@100 000d@148" in boot_log,
                  "the root port's AER (0x100) and ACS (0x148) through ECAM")
            check("pci: 01:00.0 extended capabilities: 000f@100" in boot_log,
                  "virtio-blk's ATS (0x100) on bus 1 through ECAM")
            ecam_devices = output_of(m, "cat /proc/bus/pci/devices")
            rows = [line.split("\t") for line in ecam_devices.splitlines()]
            ids = {(row[0], row[1]) for row in rows}
            check(("0000", "808629c0") in ids, "the q35 host bridge at 00:00.0")
            check(("0010", "1b36000c") in ids, "the PCIe root port at 00:02.0")
            disk = [row for row in rows if row[1] == "1af41042"]
            check(len(disk) == 1 and disk[0][0] == "0100" and disk[0][-1] == "virtio_blk",
                  f"virtio-blk at 01:00.0 claimed by virtio_blk: {disk}")
            check("/dev/vda /mnt ext2" in output_of(m, "cat /proc/mounts"), "vda mounted on /mnt")
            check(output_of(m, "cat /mnt/hello.txt").strip() == GREETING,
                  "Kite reads the host's file from the disk behind the root port")
            output_of(m, "echo written by Kite > /mnt/kite.txt; sync")
        written = subprocess.run([debugfs, "-R", "cat /kite.txt", image], capture_output=True,
                                 timeout=60).stdout
        check(written == b"written by Kite\n", f"the host reads Kite's file back: {written!r}")

        # 3. The same machine through the ports.
        with Machine(args.iso, extra=q35_options(image), append="pci=nommconf", echo=False) as m:
            reason = m.expect(PORTS_LINE, 60).group(1)
            check(reason == "pci=nommconf", f"q35 with pci=nommconf: the ports ({reason})")
            m.expect(PROMPT, 90)
            check("extended capabilities" not in m.output,
                  "no extended capabilities through the ports")
            port_devices = output_of(m, "cat /proc/bus/pci/devices")
            check(port_devices == ecam_devices and len(rows) >= 7,
                  f"the same {len(rows)} functions through the ports as through ECAM")
            if port_devices != ecam_devices:
                print("ECAM:\n" + ecam_devices + "\nports:\n" + port_devices)

        # 4. The in-kernel tests of each access width and of writes
        # (kernel/tests/pci_tests.cpp) through ECAM; kernel.all runs them
        # through the ports.
        with Machine(args.iso, extra=q35_options(image), append=f"kite.test={KTESTS}",
                     echo=False) as m:
            m.expect(ECAM_LINE, 60)
            summary = m.expect(r"^KTEST SUMMARY: (\d+) passed, (\d+) failed$", 60)
            code = m.wait_exit(30)
            check(summary.group(1) == "2" and summary.group(2) == "0" and code == EXIT_PASS,
                  f"kernel tests through ECAM: {summary.group(0)}, exit {code}")
            if summary.group(2) != "0":
                print("\n".join(line for line in m.output.splitlines() if "FAIL" in line))

    return check.finish("all PCI configuration checks passed")


if __name__ == "__main__":
    run_main(main)
