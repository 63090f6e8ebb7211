# Corpus script for Kite's POSIX shell (issue 14): a builtin's, function's
# or compound command's redirection fails (status 2; a special builtin's
# exits the shell) when the descriptor cannot be saved to be put back:
# under ulimit -n 9 no descriptor at or above 10 is free for the copy. Each
# case in a subshell, which reports by its exit status alone (dash leaves
# the subshell's stdout closed after the failure). Runs in a fresh
# temporary directory; dash is the oracle.
(ulimit -n 9; echo hi >/dev/null; exit "$?") 2>/dev/null
echo "builtin: $?"
(ulimit -n 9; : >/dev/null; exit 0) 2>/dev/null
echo "special builtin: $?"
(ulimit -n 9; { echo hi; } >/dev/null; exit "$?") 2>/dev/null
echo "group: $?"
f() { echo hi; }
(ulimit -n 9; f >/dev/null; exit "$?") 2>/dev/null
echo "function: $?"
(ulimit -n 9; echo hi 2>/dev/null; exit "$?") 2>/dev/null
echo "stderr: $?"
(ulimit -n 9; true 5>/dev/null; exit "$?") 2>/dev/null
echo "closed descriptor: $?"
echo "after: ok"
