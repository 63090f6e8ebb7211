# Corpus script for Kite's POSIX shell (issue 14): subst status.
# Runs in a fresh temporary directory; dash is the oracle.
x=$(exit 3); echo $?; x=$(true); echo $?
