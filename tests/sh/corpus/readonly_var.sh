# Corpus script for Kite's POSIX shell (issue 14): readonly var.
# Runs in a fresh temporary directory; dash is the oracle.
readonly r=1; (r=2) 2>/dev/null; echo $?; echo $r
