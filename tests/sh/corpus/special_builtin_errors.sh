# Corpus script for Kite's POSIX shell (issue 14): an error in a special
# builtin exits a non-interactive shell with status 2 (each case in a
# subshell, whose status is printed); `command` takes that away (status 2,
# the shell goes on). Runs in a fresh temporary directory; dash is the
# oracle.
(shift 5; echo not reached) 2>/dev/null
echo "shift 5: $?"
(shift abc; echo not reached) 2>/dev/null
echo "shift abc: $?"
(export 1x=1; echo not reached) 2>/dev/null
echo "export: $?"
(readonly 1x; echo not reached) 2>/dev/null
echo "readonly: $?"
(readonly r=1; export r=2; echo not reached) 2>/dev/null
echo "export read-only: $?"
(readonly r; unset r; echo not reached) 2>/dev/null
echo "unset read-only: $?"
(unset 1x; echo not reached) 2>/dev/null
echo "unset bad name: $?"
(local x; echo not reached) 2>/dev/null
echo "local outside a function: $?"
(set -o bogus; echo not reached) 2>/dev/null
echo "set -o: $?"
(for i in 1; do break 0; done; echo not reached) 2>/dev/null
echo "break 0: $?"
(exit abc; echo not reached) 2>/dev/null
echo "exit abc: $?"
(. ./no-such-file; echo not reached) 2>/dev/null
echo "dot: $?"
f() { shift 5; echo not reached; }
(f; echo not reached) 2>/dev/null
echo "in a function: $?"
command shift 5 2>/dev/null
echo "command shift: $?"
command export 1x=1 2>/dev/null
echo "command export: $?"
command set -o bogus 2>/dev/null
echo "command set: $?"
command . ./no-such-file 2>/dev/null
echo "command dot: $?"
command eval 'shift 5' 2>/dev/null
echo "command eval: $?"
eval 'command shift 5' 2>/dev/null
echo "eval command: $?"
g() { command return abc; }
g 2>/dev/null
echo "command return: $?"
f() { x=5 local y=2; echo "local: $x $y"; }
x=1
f
echo "after local: $x"
