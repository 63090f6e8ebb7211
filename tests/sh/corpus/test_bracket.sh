# Corpus script for Kite's POSIX shell (issue 14): test bracket.
# Runs in a fresh temporary directory; dash is the oracle.
[ 1 -eq 1 ] && echo eq; [ a = b ] || echo ne; [ -z "" ] && echo empty
