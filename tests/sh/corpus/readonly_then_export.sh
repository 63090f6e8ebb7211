# Corpus script for Kite's POSIX shell (issue 14): export NAME and
# readonly NAME (no value) only add the flag, which a read-only variable
# takes too; giving it a value is still an error (exiting a subshell with
# status 2). Runs in a fresh temporary directory; dash is the oracle.
readonly x=1
export x
echo "export: $?"
env | grep '^x='
readonly x
echo "readonly again: $?"
(export x=2; echo not reached) 2>/dev/null
echo "export a value: $?"
(readonly x=3; echo not reached) 2>/dev/null
echo "readonly a value: $?"
echo "x is $x"
