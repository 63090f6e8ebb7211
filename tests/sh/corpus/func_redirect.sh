# Corpus script for Kite's POSIX shell (issue 14): func redirect.
# Runs in a fresh temporary directory; dash is the oracle.
f() { echo in f; }; f > out.txt; cat out.txt
