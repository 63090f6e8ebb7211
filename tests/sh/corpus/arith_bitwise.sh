# Corpus script for Kite's POSIX shell (issue 14): arith bitwise.
# Runs in a fresh temporary directory; dash is the oracle.
echo $((5&3)) $((5|3)) $((5^3)) $((~0)) $((1<<4)) $((256>>2))
