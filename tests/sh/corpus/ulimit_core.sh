# Corpus script for Kite's POSIX shell (issue 14): ulimit.
# Runs in a fresh temporary directory; dash is the oracle.
ulimit -c 0 && echo set
ulimit -c
