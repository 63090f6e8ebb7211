# Corpus script for Kite's POSIX shell (issue 14): background list.
# Runs in a fresh temporary directory; dash is the oracle.
echo bg > f & wait; cat f; { echo grp; } & wait
