# Corpus script for Kite's POSIX shell (issue 14): arith error.
# Runs in a fresh temporary directory; dash is the oracle.
echo start; (echo $((1/0))) 2>/dev/null; echo "status $?"
