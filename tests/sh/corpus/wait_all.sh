# Corpus script for Kite's POSIX shell (issue 14): wait all.
# Runs in a fresh temporary directory; dash is the oracle.
echo a > a & echo b > b & wait; cat a b
