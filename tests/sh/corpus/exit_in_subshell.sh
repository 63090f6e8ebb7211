# Corpus script for Kite's POSIX shell (issue 14): exit in subshell.
# Runs in a fresh temporary directory; dash is the oracle.
(exit 9); echo $?; exit 1
