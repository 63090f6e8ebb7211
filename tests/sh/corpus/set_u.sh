# Corpus script for Kite's POSIX shell (issue 14): set u.
# Runs in a fresh temporary directory; dash is the oracle.
set -u; x=1; echo $x; (echo $unset_var) 2>/dev/null; echo "status $?"
