# Corpus script for Kite's POSIX shell (issue 14): subshell vars.
# Runs in a fresh temporary directory; dash is the oracle.
x=1; (x=2; echo $x); echo $x
