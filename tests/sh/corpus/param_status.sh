# Corpus script for Kite's POSIX shell (issue 14): param status.
# Runs in a fresh temporary directory; dash is the oracle.
false; echo $?; true; echo $?; (exit 7); echo $?
