# Corpus script for Kite's POSIX shell (issue 14): loop status.
# Runs in a fresh temporary directory; dash is the oracle.
for i in a; do false; done; echo $?; while false; do :; done; echo $?
