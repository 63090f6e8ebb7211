# Corpus script for Kite's POSIX shell (issue 14): subshell exit.
# Runs in a fresh temporary directory; dash is the oracle.
(exit 4); echo $?; (false) || echo or
