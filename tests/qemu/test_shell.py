#!/usr/bin/env python3
"""Boot-to-shell test: boots the real kite.iso as a user would (GRUB, the
kernel, /sbin/init, /bin/sh), waits for the prompt on the serial console,
types commands and checks what they print. Each step names what it shows."""
import argparse
import re
import sys
import time

from kite_qemu import Machine, Timeout


def prompt(directory="/"):
    return "^" + directory.replace("/", r"\/") + r" \$ "


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iso", required=True)
    parser.add_argument("--motd", required=True)
    parser.add_argument("--smp", type=int, default=1, help="QEMU's -smp: how many CPUs")
    args = parser.parse_args()
    motd_first_line = open(args.motd).readline().strip()

    steps = 0
    with Machine(args.iso, extra=["-smp", str(args.smp)]) as machine:
        def run(command, *patterns, directory="/", timeout=20):
            nonlocal steps
            machine.send(command + "\n")
            for pattern in patterns:
                machine.expect(pattern, timeout)
            machine.expect(prompt(directory), timeout)
            steps += 1

        def run_until(command, *patterns, attempts=30):
            """Runs command until its output matches the patterns, in order:
            for a state the system reaches in its own time (a process
            exiting, reaped, or through exec)."""
            nonlocal steps
            for attempt in range(attempts):
                begin = machine.position()
                machine.send(command + "\n")
                end = machine.expect(prompt(), 20).start()
                at = begin
                for pattern in patterns:
                    match = re.compile(pattern, re.MULTILINE).search(machine.output, at, end)
                    if not match:
                        break
                    at = match.end()
                else:
                    steps += 1
                    return
                time.sleep(0.5)
            raise Timeout(f"{command!r} never printed {patterns!r}")

        def send_key_until(key, pattern, attempts=10):
            """Sends a terminal key (Ctrl-C, Ctrl-Z) until pattern shows. A
            job takes the terminal in its own process, after the fork, so a
            key that comes first goes to the shell, which ignores it; a key
            that comes after the job is done reaches the shell at its prompt,
            before anything else is typed."""
            for attempt in range(attempts):
                machine.send(key)
                try:
                    return machine.expect(pattern, 3)
                except Timeout:
                    continue
            return machine.expect(pattern, 10)

        try:
            machine.expect(prompt(), 60)
            run("hello", r"^Hello from userspace!$")
            run("ls /bin", r"^hello$", r"^sh$")
            run("echo hi | cat | wc -c", r"^3$")
            run("cat /etc/motd > /tmp/m; cat /tmp/m", "^" + motd_first_line.replace("(", r"\(").replace(")", r"\)"))
            run("cd /tmp; pwd", r"^/tmp$", directory="/tmp")
            run("cd /", directory="/")
            run("nosuchcommand; echo status=$?", r"^sh: \d+: nosuchcommand: not found$",
                r"^status=127$")
            run("echo 'a  b' \"$HOME\" x${NOPE}y && false || echo or-ran", r"^a  b / xy$",
                r"^or-ran$")
            run("echo x > /nodir/file", r"^sh: \d+: cannot create /nodir/file: Directory nonexistent$")
            run("wc -c < /etc/motd; ls /nonexistent 2> /tmp/err; cat /tmp/err",
                r"^\d+$", r"^ls: /nonexistent: No such file or directory$")
            run("ls /nonexistent 2>&1 | wc -l; ls /nonexistent 2>/dev/null | wc -l", r"^1$", r"^0$")
            run("/test/crash_sigsegv_null_write; echo status=$?", r"^Segmentation fault$",
                r"^status=139$")
            run("/test/data/not_executable; echo status=$?",
                r"^sh: \d+: /test/data/not_executable: Permission denied$", r"^status=126$")
            run("sh -c 'kill -9 $$'; echo status=$?", r"^Killed$", r"^status=137$")
            # 128 + Linux's number, as bash (newlib numbers SIGUSR1 30).
            run("sh -c 'kill -10 $$'; echo status=$?", r"^User defined signal 1$", r"^status=138$")
            # An orphan (its shell exited first) is reaped by init: no
            # sleep is left, neither running nor a zombie.
            run("sh -c 'sleep 1 &'")
            run_until("ps | grep -c sleep", r"^0$")
            # Ctrl-C stops the foreground job, not the shell. The key is sent
            # once the job has printed: it takes the terminal before it
            # runs, and a Ctrl-C that came while the shell still read the
            # line would only drop the line.
            job = "sh -c 'echo job-started; sleep 20'"
            machine.send(job + "\n")
            machine.expect(r"^job-started$", 20)
            machine.send("\x03")
            machine.expect(prompt(), 10)
            run("echo after-ctrl-c=$?", r"^after-ctrl-c=130$")
            # Ctrl-Z stops the foreground job; fg continues it; Ctrl-C ends it.
            machine.send(job + "\n")
            machine.expect(r"^job-started$", 20)
            machine.send("\x1a")
            stopped = r"^\[\d\] Stopped " + re.escape(job) + "$"
            machine.expect(stopped, 10)
            machine.expect(prompt(), 10)
            run("jobs", stopped)
            run("ps | grep ' T '", r"^ +\d+ +\d+ +\d+ +\d+ +T +\d+:\d\d\.\d\d sh$")
            machine.send("fg\n")
            machine.expect("^" + re.escape(job) + "$", 10)
            send_key_until("\x03", prompt())  # fg gives the job the terminal after printing
            run("echo after-fg=$?; jobs", r"^after-fg=130$")
            run("echo 'echo script ran' > /tmp/s; sh /tmp/s", r"^script ran$")
            # A script's arguments: $0 $# $1, "$@" as separate words, "$*" as one, shift.
            run("echo 'echo n=$# 0=$0 1=$1; ls \"$@\"; ls \"$*\"; shift; echo after=$1 n=$#' > /tmp/args;"
                " sh /tmp/args /etc/motd /bin/hello",
                r"^n=2 0=/tmp/args 1=/etc/motd$", r"^/etc/motd\n/bin/hello$",
                r"^ls: /etc/motd /bin/hello: No such file or directory$", r"^after=/bin/hello n=1$")
            run("sh -c '\"$@\"; echo st=$? ${#} $#' name; sh -c 'echo ${#}' n a b", r"^st=0 0 0$", r"^2$")
            run("sh -c 'echo $0 $1 ${2}; shift 3' name one two", r"^name one two$",
                r"^name: 1: shift: can't shift that many$")
            # A pipeline's status is its last command's.
            run("true | false; echo st=$?; false | true; echo st=$?", r"^st=1$", r"^st=0$")
            # A non-interactive shell keeps its commands in its own (foreground)
            # group: cat reads the terminal instead of being stopped by SIGTTIN.
            # (The text is typed once the inner shell has printed, so after
            # the outer one's line editor has given the terminal back its echo.)
            machine.send("sh -c 'echo cat-next; cat'\n")
            machine.expect(r"^cat-next$", 10)
            machine.send("typed-to-cat\n")
            machine.expect(r"^typed-to-cat\ntyped-to-cat$", 10)  # the terminal's echo, then cat
            machine.send("\x04")
            machine.expect(prompt(), 10)
            steps += 1
            run("sleep 5 & jobs", r"^\[1\] \d+$", r"^\[1\] Running sleep 5$")
            # The programs of the initrd.
            run("mkdir -p /tmp/a/b && touch /tmp/a/b/f && ls -l /tmp/a/b", r"^-rw-r--r-- +1 +0 f$")
            run("rm /tmp/a; echo status=$?", r"^rm: /tmp/a: is a directory \(use -r\)$", r"^status=1$")
            run("touch /tmp/a/1 /tmp/a/2 /tmp/a/b/3 && rm -r /tmp/a && ls /tmp/a",
                r"^ls: /tmp/a: No such file or directory$")
            # Pathname expansion: sorted, dot files only for a leading '.'
            # (. and .. too, as dash),
            # quoted characters literal, no match leaves the word as it was.
            run("mkdir -p /tmp/g/d && touch /tmp/g/a1 /tmp/g/a2 /tmp/g/b1 /tmp/g/.h && echo /tmp/g/a*",
                r"^/tmp/g/a1 /tmp/g/a2$")
            run("cd /tmp/g; echo *; echo ?1 [ab]2 [!a]?; echo .* */; echo '*' \"a*\" a\\* no*",
                r"^a1 a2 b1 d$", r"^a1 b1 a2 b1$", r"^\. \.\. \.h d/$", r"^\* a\* a\* no\*$", directory="/tmp/g")
            run("echo [\\!b]? [!b]?", r"^b1 a1 a2$", directory="/tmp/g")
            run("cd /; echo /*/hello; ls /tmp/g/*1 | wc -l; rm -r /tmp/g/*; ls -a /tmp/g | wc -l",
                r"^/bin/hello$", r"^2$", r"^3$")
            # Compound commands and test: for over words and patterns, if/elif/else,
            # while and until, nesting, statuses, a syntax error.
            run("for f in b a 'c d'; do echo item $f; done", r"^item b$", r"^item a$", r"^item c d$")
            run("if test -d /tmp; then echo dir; else echo nodir; fi; "
                "if [ -f /tmp ]; then echo file; elif [ x = y ]; then echo no; else echo neither; fi",
                r"^dir$", r"^neither$")
            run("touch /tmp/w1; while [ -e /tmp/w1 ]; do echo once; rm /tmp/w1; done; echo after=$?",
                r"^once$", r"^after=0$")
            run("until [ -e /tmp/u ]; do touch /tmp/u; echo made; done; rm /tmp/u && echo gone",
                r"^made$", r"^gone$")
            run("for d in /tmp /etc /nowhere; do if [ -d $d ]; then for x in 1 2; do echo $d$x; done; fi; done",
                r"^/tmp1\n/tmp2\n/etc1\n/etc2$")
            run("if false; then :; fi; echo st=$?; [ 3 -lt 12 ] && [ ! abc = abd ] && echo cmp; "
                "[ 1 -lt x ]; echo st=$?", r"^st=0$", r"^cmp$", r"^sh: \d+: \[: Illegal number: x$", r"^st=2$")
            run("for f in /bin/hel*; do echo found $f; done", r"^found /bin/hello$")
            run("if true; then echo x; done", r'^sh: \d+: Syntax error: "done" unexpected \(expecting "fi"\)$')
            run("n=; for i in a b c d; do if [ $i = b ]; then continue; fi; [ $i = d ] && break; n=$n$i; done;"
                " echo n=$n; x=1 y=2; echo $x$y; Z=3 env | grep ^Z=; echo Z=$Z",
                r"^n=ac$", r"^12$", r"^Z=3$", r"^Z=$")
            run("a=1 export b=2; echo $a$b; c=5 >/tmp/o; echo [$c]; q7=7 pwd; echo q7=$q7; \"e=1\"",
                r"^12$", r"^\[5\]$", r"^/$", r"^q7=$", r"^sh: \d+: e=1: not found$")
            run("echo 'fi; echo no' > /tmp/bad; echo 'echo yes' >> /tmp/bad; sh /tmp/bad; echo st=$?",
                r'^/tmp/bad: 1: Syntax error: "fi" unexpected$', r"^st=2$")
            # Redirections after done/fi, and read.
            run("for x in one 'two three'; do echo $x; done > /tmp/rl; "
                "while read a b; do echo \"[$a] [$b]\"; done < /tmp/rl; if true; then echo e >&2; fi 2>/dev/null",
                r"^\[one\] \[\]$", r"^\[two\] \[three\]$")
            # Ctrl-C ends a loop, whether it runs programs or only builtins.
            for loop in ("while true; do sleep 1; done", "while :; do :; done"):
                # Sent again if need be: between one sleep's exit and the
                # shell taking the terminal back, a Ctrl-C goes to the
                # finished job's empty group and is lost, as on Linux.
                machine.send("echo looping; " + loop + "\n")
                machine.expect(r"^looping$", 20)
                send_key_until("\x03", prompt())
                run("echo after-loop", r"^after-loop$")
            # Typed over several lines: the shell asks for more with "> ".
            machine.send("for i in 1 2\n")
            machine.expect(r"^> ", 10)
            machine.send("do echo line$i\n")
            machine.expect(r"^> ", 10)
            run("done", r"^line1\nline2$")
            # A script whose loop spans lines.
            run("echo 'for i in x y' > /tmp/loop; echo do >> /tmp/loop; echo '  echo loop $i' >> /tmp/loop;"
                " echo done >> /tmp/loop; sh /tmp/loop", r"^loop x\nloop y$")
            # Links: symbolic (ls -l shows the target) and hard.
            run("ln -s /etc/motd /tmp/lm && ls -l /tmp/lm && cat /tmp/lm | wc -l && ln /tmp/m /tmp/m2 && "
                "ls -l /tmp/m2; rm /tmp/lm /tmp/m2; ln -s /etc/motd /etc/x; ln",
                r"^l[rwx-]{9} +1 +9 /tmp/lm -> /etc/motd$", r"^[1-9]\d*$", r"^-rw-r--r-- +2 ",
                r"^ln: /etc/x -> /etc/motd: Read-only file system$", r"^usage: ln ")
            run("rmdir /nonexistent", r"^rmdir: /nonexistent: No such file or directory$")
            run("ls /bin | grep '^he' | sort -r", r"^hello\nhead$")
            run("echo one two > /tmp/w; echo three >> /tmp/w; wc /tmp/w; head -n 1 /tmp/w; tail -n 1 /tmp/w",
                r"^ +2 +3 +14 /tmp/w$", r"^one two$", r"^three$")
            run("cp /bin/hello /tmp/h && /tmp/h && cp /etc/motd /tmp && cat /tmp/motd",
                r"^Hello from userspace!$", "^" + motd_first_line)
            run("mkdir /tmp/m1 && mv /tmp/h /tmp/m1 && mv /tmp/m1 /tmp/m2 && /tmp/m2/h",
                r"^Hello from userspace!$")
            run("mv /tmp/m2 /etc", r"^mv: /tmp/m2 -> /etc/m2: Cross-device link$")
            run("mv /etc/motd /etc/x; mkdir /etc/d; rmdir /etc", r"^mv: /etc/motd -> /etc/x: Read-only file system$",
                r"^mkdir: /etc/d: Read-only file system$", r"^rmdir: /etc: (Read-only file system|Directory not empty)$")
            # By pid, from /proc/PID/stat: init (asleep in wait), the shell
            # (child of init), the background sleep, ps itself running.
            cpu = r" +\d+:\d\d\.\d\d "
            # ps again until the background child has become sleep (it
            # may not have reached exec when the first ps looks).
            run("sleep 30 &")
            run_until("ps", r"^ +PID +PPID +PGID +SID +STATE +TIME NAME$",
                r"^ +1 +0 +1 +1 +S" + cpu + "init$", r"^ +\d+ +1 +\d+ +\d+ +S" + cpu + "sh$",
                r"^ +\d+ +\d+ +\d+ +\d+ +S" + cpu + "sleep$", r"^ +\d+ +\d+ +\d+ +\d+ +R" + cpu + "ps$")
            run("uname -s", r"^Kite$")
            # shared: tmpfs's pages (Shmem), which the shell's files may use.
            run("free", r"^ +total +used +free +shared +buff/cache +available$",
                r"^Mem: +\d+ +\d+ +\d+ +\d+ +\d+ +\d+$", r"^Swap: +0 +0 +0$")
            run("uptime", r"^up \d+:\d\d:\d\d ")
            run("env -i A=1 env", r"^A=1$")
            run("ls -z; echo status=$?", r"^ls: unknown option -z$", r"^status=2$")
            run("head -n x /etc/motd; echo status=$?; tail -n 200000 /etc/motd; echo status=$?",
                r"^usage: head ", r"^status=2$", r"^usage: tail ", r"^status=2$")
            # kill is the shell's builtin (dash's words), /bin/kill the program.
            run("kill -9; echo status=$?", r"^sh: \d+: kill: Usage: kill ", r"^status=2$")
            run("kill -- -99999; echo status=$?", r"^sh: \d+: kill: No such process$", r"^status=1$")
            run("/bin/kill -9; echo status=$?", r"^usage: kill ", r"^status=2$")
            # One command typed on the keyboard (QEMU's sendkey), shown on VGA.
            for key in ["e", "c", "h", "o", "spc", "v", "g", "a", "minus", "k", "e", "y", "s", "ret"]:
                machine.monitor(f"sendkey {key}")
            machine.expect(r"^vga-keys$", 20)
            machine.expect(prompt(), 20)
            deadline = time.monotonic() + 10
            while not any(line.rstrip() == "vga-keys" for line in machine.vga_text() or []):
                if time.monotonic() > deadline:
                    raise Timeout("the VGA screen does not show the output of the typed command")
                time.sleep(0.2)
            steps += 1
            # Line editing in the shell: an empty line, Backspace, and Up-arrow recall.
            run("")
            run("echo recall-me")
            machine.send("echo typo\x7f\x7f\x7f\x7fok\n")
            machine.expect(r"^ok$", 10)
            machine.expect(prompt(), 10)
            machine.send("\x1b[A\x1b[A\n")  # two back: echo recall-me
            machine.expect(r"^recall-me$", 10)
            machine.expect(prompt(), 10)
            steps += 2
            # Cursor editing: Left inserts inside the word, Ctrl-A/Home and
            # Ctrl-E/End jump, Ctrl-W drops the word before the cursor, Ctrl-K
            # the rest of the line.
            run("echo cursr-ok" + "\x1b[D" * 4 + "o", r"^cursor-ok$")
            run("cho ctrl-a\x01e", r"^ctrl-a$")
            run("cho home-end\x1b[He\x1b[F!", r"^home-end!$")
            run("echo keep drop\x17", r"^keep$")
            run("echo left right\x01" + "\x1b[C" * 9 + "\x0b", r"^left$")
            # Tab completes a command name and a file name.
            run("ech\t tab-done", r"^tab-done$")
            run("cat /etc/mot\t", "^" + re.escape(motd_first_line))
            # The language: a function, a here-document typed over lines,
            # $(...) in a pipeline, a trap on Ctrl-C in a shell's job.
            run("greet() { echo hello-$1; }; greet kite", r"^hello-kite$")
            machine.send("cat <<END\n")
            machine.expect(r"^> ", 10)
            machine.send("here $((2 + 3)) $(echo sub)\n")
            machine.expect(r"^> ", 10)
            run("END", r"^here 5 sub$")
            run("echo $(echo inner | wc -c) | cat; echo $(ls /bin | grep -c '^hello$')", r"^6$", r"^1$")
            machine.send("sh -c 'trap \"echo caught-int; exit 5\" INT; echo trap-ready; while :; do :; done';"
                         " echo trap-status=$?\n")
            machine.expect(r"^trap-ready$", 20)
            send_key_until("\x03", r"^caught-int$")
            machine.expect(r"^trap-status=5$", 10)
            machine.expect(prompt(), 10)
            steps += 1
            # Leaving the shell: init starts a new one.
            machine.send("kill -9 $$\n")
            machine.expect(r"^init: the shell was killed by signal 9 \(Killed\); starting a new one$", 20)
            machine.expect(prompt(), 20)
            machine.send("exit 3\n")
            machine.expect(r"^init: the shell exited with status 3; starting a new one$", 20)
            machine.expect(prompt(), 20)
            machine.send("\x04")  # Ctrl-D at an empty prompt
            machine.expect(r"^init: the shell exited with status 0; starting a new one$", 20)
            machine.expect(prompt(), 20)
            steps += 2
        except Timeout as error:
            print(f"\nFAIL after {steps} steps: {error}")
            return 1
    print(f"\nshell: {steps} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
