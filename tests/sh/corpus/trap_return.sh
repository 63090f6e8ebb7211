# Corpus script for Kite's POSIX shell (issue 14): a trap's return ends the
# function the trap interrupted, with the return's status; elsewhere a
# trap leaves $? as it was.
f() {
    trap 'return 7' USR1
    kill -USR1 $$
    echo "not reached"
}
f
echo "f: $?"
trap 'echo trapped; false' USR2
true
kill -USR2 $$
echo "after a trap: $?"
