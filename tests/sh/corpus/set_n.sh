# Corpus script for Kite's POSIX shell (issue 14): set n.
# Runs in a fresh temporary directory; dash is the oracle.
echo first; set -n; echo never
