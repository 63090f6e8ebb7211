# Corpus script for Kite's POSIX shell (issue 14): arith basic.
# Runs in a fresh temporary directory; dash is the oracle.
echo $((1+2*3)) $(( (1+2)*3 )) $((7/2)) $((7%3)) $((-5/2))
