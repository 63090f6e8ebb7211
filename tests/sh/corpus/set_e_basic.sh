# Corpus script for Kite's POSIX shell (issue 14): set e basic.
# Runs in a fresh temporary directory; dash is the oracle.
set -e; echo one; false; echo never
