# Corpus script for Kite's POSIX shell (issue 14): exec command.
# Runs in a fresh temporary directory; dash is the oracle.
echo before; exec echo replaced; echo never
