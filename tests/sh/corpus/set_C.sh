# Corpus script for Kite's POSIX shell (issue 14): set C.
# Runs in a fresh temporary directory; dash is the oracle.
echo a > f; set -C; (echo b > f) 2>/dev/null; echo $?; echo c >| f; cat f
