# Corpus script for Kite's POSIX shell (issue 14): redirect input.
# Runs in a fresh temporary directory; dash is the oracle.
echo data > f; cat < f; read x < f; echo $x
