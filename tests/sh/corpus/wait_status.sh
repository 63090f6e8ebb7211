# Corpus script for Kite's POSIX shell (issue 14): wait status.
# Runs in a fresh temporary directory; dash is the oracle.
(exit 3) & p=$!; wait $p; echo $?; (exit 5) & wait; echo $?
