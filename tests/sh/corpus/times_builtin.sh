# Corpus script for Kite's POSIX shell (issue 14): times builtin.
# Runs in a fresh temporary directory; dash is the oracle.
times > t.txt; wc -l < t.txt
