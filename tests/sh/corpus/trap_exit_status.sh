# Corpus script for Kite's POSIX shell (issue 14): trap exit status.
# Runs in a fresh temporary directory; dash is the oracle.
trap "echo trap \$?" EXIT; (exit 0); exit 3
