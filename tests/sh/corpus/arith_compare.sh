# Corpus script for Kite's POSIX shell (issue 14): arith compare.
# Runs in a fresh temporary directory; dash is the oracle.
echo $((1<2)) $((2<1)) $((3==3)) $((3!=3)) $((1&&0)) $((1||0)) $((!0))
