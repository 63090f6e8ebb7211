# Corpus script for Kite's POSIX shell (issue 14): arith ternary.
# Runs in a fresh temporary directory; dash is the oracle.
x=4; echo $((x>3?10:20)) $((x<3?10:20))
