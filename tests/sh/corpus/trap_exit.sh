# Corpus script for Kite's POSIX shell (issue 14): trap exit.
# Runs in a fresh temporary directory; dash is the oracle.
trap "echo bye" EXIT; echo main
