# Corpus script for Kite's POSIX shell (issue 14): redirect append.
# Runs in a fresh temporary directory; dash is the oracle.
echo a > f; echo b >> f; cat f
