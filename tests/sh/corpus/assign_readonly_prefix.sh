# Corpus script for Kite's POSIX shell (issue 14): an assignment before a
# command onto a read-only variable is an error before anything runs: a
# non-interactive shell exits with status 2, whether the command is a
# program, a regular or special builtin, a function or none. Each case in
# a subshell, whose status is printed. Runs in a fresh temporary
# directory; dash is the oracle.
readonly r=1
(r=2 /bin/echo program ran; echo not reached) 2>/dev/null
echo "program: $?"
(r=2 echo builtin ran; echo not reached) 2>/dev/null
echo "regular builtin: $?"
(r=2 :; echo not reached) 2>/dev/null
echo "special builtin: $?"
f() { echo function ran; }
(r=2 f; echo not reached) 2>/dev/null
echo "function: $?"
(r=2; echo not reached) 2>/dev/null
echo "assignment only: $?"
(r=2 command echo ran; echo not reached) 2>/dev/null
echo "command: $?"
(ok=1 r=2 /bin/echo ran; echo not reached) 2>/dev/null
echo "second assignment: $?"
echo "r is still $r"
