# Corpus script for Kite's POSIX shell (issue 14): set x.
# Runs in a fresh temporary directory; dash is the oracle.
set -x; echo traced 2>/dev/null; set +x; echo done
