# Corpus script for Kite's POSIX shell (issue 14): set -v.
# Runs in a fresh temporary directory; dash is the oracle.
set -v
echo verbose 2>/dev/null
set +v
echo done
