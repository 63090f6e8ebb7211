# Corpus script for Kite's POSIX shell (issue 14): syntax done without do.
# Runs in a fresh temporary directory; dash is the oracle.
while true; done
echo must not print
