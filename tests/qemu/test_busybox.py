#!/usr/bin/env python3
"""Debian's busybox on Kite: boots the real kite.iso, checks from Kite's own
shell that PATH is /bin:/usr/bin (Kite's programs first, busybox's applets
after), then starts busybox's shell (ash) and types a session over serial:
pipelines, command substitution, background jobs and wait, traps, a killed
job's status, timeout, and the applets sed, awk, find, xargs, tar, gzip,
diff and md5sum on the tmpfs. Every expected output is what the same
busybox binary prints on Linux. Busybox's line editor echoes each typed
line, so each pattern matches a whole output line that the typed line does
not contain.

Nothing waits on time: each step waits for its output and the next prompt,
with generous timeouts that only catch hangs. A check that needs a system
call Kite does not have yet prints "SKIP: ..." and the reason, and the rest
runs; the test passes or fails on the others."""
import argparse
import hashlib
import re
import sys

from kite_qemu import Machine, Timeout

KITE_PROMPT = r"^/ \$ "
BUSYBOX_PROMPT = r"bb\$ "


def kite_has(syscall_list, name):
    """Whether kernel/syscalls/syscall_list.h lists the system call."""
    with open(syscall_list) as f:
        return re.search(r"^SYSCALL\(\d+, " + re.escape(name) + r"\)$", f.read(), re.M) is not None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--syscalls", required=True, help="kernel/syscalls/syscall_list.h")
    args = parser.parse_args()

    steps = 0
    skipped = []
    with Machine(args.iso) as machine:
        def run(command, *patterns, prompt=BUSYBOX_PROMPT, timeout=60):
            nonlocal steps
            machine.send(command + "\n")
            for pattern in patterns:
                machine.expect(pattern, timeout)
            machine.expect(prompt, timeout)
            steps += 1

        def kite(command, *patterns):
            run(command, *patterns, prompt=KITE_PROMPT)

        try:
            machine.expect(KITE_PROMPT, 120)
            # Kite's shell: its own programs stay first in PATH, busybox's
            # applets are found after them, through symlinks to one binary.
            kite("echo $PATH", r"^/bin:/usr/bin$")
            kite("type ls sed awk", r"^ls is /bin/ls$", r"^sed is /usr/bin/sed$",
                 r"^awk is /usr/bin/awk$")
            kite("echo abc | sed s/b/X/ | cat", r"^aXc$")
            kite("ls -l /usr/bin/busybox /usr/bin/vi", r"/usr/bin/vi -> busybox$")
            kite("busybox sh -c 'echo $((6 * 7))'", r"^42$")

            # busybox's shell, interactive on the console (job control,
            # line editing, poll on the terminal).
            run("PS1='bb$ ' busybox sh", r"built-in shell \(ash\)")
            # Applets are run by re-executing busybox through /proc/self/exe.
            run("readlink /proc/self/exe", r"^/usr/bin/busybox$")
            run("echo one two three | tr a-z A-Z | sed 's/TWO/2/'", r"^ONE 2 THREE$")
            run("n=$(echo a b c | wc -w); echo \"words=$((n + 1))\"", r"^words=4$")
            run("echo \"x$(echo y$(echo z))\" `echo w`", r"^xyz w$")
            run("sh -c 'exit 7' & wait $!; echo \"bg=$?\"", r"^bg=7$")
            run("(echo j1 > /tmp/bb1) & (echo j2 > /tmp/bb2) & wait")
            run("cat /tmp/bb1 /tmp/bb2", r"^j1$", r"^j2$")
            # The kernel log through syslog(2), and the host name through
            # sethostname and uname.
            run("dmesg | grep -c 'usable memory'", r"^1$")
            run("hostname bbhost; hostname; uname -n", r"^bbhost$", r"^bbhost$")
            run("hostname kite; cat /proc/sys/kernel/hostname", r"^kite$")
            # SIGKILL: nothing the child does before exec can change it.
            run("/bin/sleep 30 & kill -KILL $!; wait $!; echo \"killed=$?\"", r"^killed=137$")
            run("trap 'echo got-usr1' USR1; kill -USR1 $$; echo after-kill",
                r"^got-usr1$", r"^after-kill$")
            run("trap", r"^trap -- 'echo got-usr1' USR1$")
            run("(trap 'echo bye-exit' EXIT; echo inside)", r"^inside$", r"^bye-exit$")
            run("false | true; echo \"pipe=$?\"; true | false; echo \"pipe=$?\"",
                r"^pipe=0$", r"^pipe=1$")

            # timeout's watcher sleeps a second at a time with sleep(),
            # which glibc makes with clock_nanosleep.
            if kite_has(args.syscalls, "clock_nanosleep"):
                run("timeout 1 /bin/sleep 30; echo \"timeout=$?\"", r"^timeout=143$")
                run("timeout 60 echo fast; echo \"fast=$?\"", r"^fast$", r"^fast=0$")
            else:
                skipped.append("timeout needs clock_nanosleep (busybox's watcher sleeps "
                               "with glibc's sleep(); Kite lacks the call)")

            # df and mount read /proc/mounts and ask statfs, as on Linux.
            if kite_has(args.syscalls, "statfs"):
                run("df /tmp", r"^Filesystem\s+1K-blocks\s+Used\s+Available\s+Use%\s+Mounted on",
                    r"^tmpfs\s+\d+\s+\d+\s+\d+\s+\d+%\s+/tmp$")
                run("mount", r"^proc on /proc type proc \(rw,nosuid,nodev,noexec,relatime\)$",
                    r"^tmpfs on /tmp type tmpfs \(rw,nosuid,relatime\)$")
            else:
                skipped.append("df needs statfs")

            # ps, top, free and uptime read /proc as procps does on Linux:
            # the shell's own line is found by its pid.
            machine.send("echo pid=$$\n")
            pid = machine.expect(r"^pid=(\d+)$", 20).group(1)
            machine.expect(BUSYBOX_PROMPT, 20)
            run("ps", r"^PID\s+USER\s+COMMAND$", r"^\s*1 \S+\s+/sbin/init$",
                r"^\s*" + pid + r" \S+\s+busybox sh$")
            run("top -bn1",
                r"^Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached$",
                r"^CPU:\s+\d+% usr\s+\d+% sys\s+\d+% nic\s+\d+% idle",
                r"^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$",
                r"^\s*PID\s+PPID\s+USER\s+STAT\s+VSZ\s+%VSZ\s+%CPU\s+COMMAND$",
                r"^\s*" + pid + r"\s+\d+\s+\S+\s+S\s+\d+\s+\d+%\s+\d+%\s+busybox sh$")
            run("free", r"^\s+total\s+used\s+free\s+shared\s+buff/cache\s+available$",
                r"^Mem:(\s+\d+){6}$", r"^Swap:\s+0\s+0\s+0$")
            run("uptime",
                r"^ \d\d:\d\d:\d\d up .*load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d$")

            # mount(2) of a tmpfs with a size limit, filled up, then umount.
            if kite_has(args.syscalls, "mount"):
                run("mkdir /tmp/bbm && mount -t tmpfs -o size=1m,mode=700 bbtmp /tmp/bbm; "
                    "echo \"mount=$?\"", r"^mount=0$")
                run("grep bbm /proc/mounts", r"^bbtmp /tmp/bbm tmpfs rw,relatime,size=1024k,mode=700 0 0$")
                run("df /tmp/bbm", r"^bbtmp\s+1024\s+0\s+1024\s+0%\s+/tmp/bbm$")
                run("cat /dev/zero > /tmp/bbm/fill; echo \"fill=$?\"", r"No space left on device",
                    r"^fill=1$")
                run("df /tmp/bbm", r"^bbtmp\s+1024\s+1024\s+0\s+100%\s+/tmp/bbm$")
                run("umount /tmp/bbm; echo \"umount=$?\"; rmdir /tmp/bbm", r"^umount=0$")
            else:
                skipped.append("mount and umount need mount(2)")

            # Applets on the tmpfs.
            run("cd /tmp && mkdir -p bbt/d/e && echo hi > bbt/d/e/f.txt && echo x > bbt/g.txt")
            run("find bbt -name '*.txt' | sort", r"^bbt/d/e/f\.txt$", r"^bbt/g\.txt$")
            run("find bbt -type f | xargs cat | sort | tr '\\n' +; echo", r"^hi\+x\+$")
            run("seq 1 10 | awk '{ s += $1 } END { print \"sum=\" s }'", r"^sum=55$")
            run("echo a:b:c | awk -F: '{ print $3 $1 }'", r"^ca$")
            run("printf 'l1\\nl2\\nl3\\n' | sed -n '2p;3s/l/L/p'", r"^l2$", r"^L3$")
            run("tar cf bbt.tar bbt && gzip -9 bbt.tar && ls bbt.tar.gz", r"^bbt\.tar\.gz$")
            run("gzip -t bbt.tar.gz && echo \"gz-$?\"", r"^gz-0$")
            run("mkdir out && gunzip -c bbt.tar.gz | tar xf - -C out && echo \"tar-$?\"",
                r"^tar-0$")
            run("diff -r bbt out/bbt && echo \"same-$?\"", r"^same-0$")
            run("cat out/bbt/d/e/f.txt", r"^hi$")
            run("printf 'a\\nb\\n' > f1; printf 'a\\nc\\n' > f2; diff f1 f2; echo \"diff=$?\"",
                r"^-b$", r"^\+c$", r"^diff=1$")
            digest = hashlib.md5(b"a\nb\n").hexdigest()
            run("md5sum f1", "^" + digest + r"  f1$")
            run("exit", prompt=KITE_PROMPT)
        except Timeout as error:
            print(f"\nFAIL: {error} (after {steps} steps)")
            return 1
    # A call that failed may not change an output line (busybox's line
    # editor goes on when poll fails, printing why after every key), so
    # the whole session must be free of such complaints.
    complaints = re.findall(r"^.*(?:Function not implemented|can't fork|not found).*$",
                            machine.output, re.M)
    if complaints:
        print("\nFAIL: busybox complained:\n  " + "\n  ".join(sorted(set(complaints))))
        return 1
    for reason in skipped:
        print(f"SKIP: {reason}")
    print(f"\nPASS: {steps} busybox steps" + (f", {len(skipped)} skipped" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
