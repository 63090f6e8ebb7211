# Corpus script for Kite's POSIX shell (issue 14): exit status.
# Runs in a fresh temporary directory; dash is the oracle.
echo before exit; exit 42
