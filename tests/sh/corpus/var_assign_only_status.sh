# Corpus script for Kite's POSIX shell (issue 14): var assign only status.
# Runs in a fresh temporary directory; dash is the oracle.
x=$(exit 6); echo $?; y=1; echo $?
