# Corpus script for Kite's POSIX shell (issue 14): hash builtin.
# Runs in a fresh temporary directory; dash is the oracle.
hash -r; echo $?
