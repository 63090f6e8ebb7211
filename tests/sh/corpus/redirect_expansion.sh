# Corpus script for Kite's POSIX shell (issue 14): redirect expansion.
# Runs in a fresh temporary directory; dash is the oracle.
n=out; echo hi > $n.txt; cat out.txt
