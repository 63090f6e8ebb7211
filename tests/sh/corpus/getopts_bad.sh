# Corpus script for Kite's POSIX shell (issue 14): getopts bad.
# Runs in a fresh temporary directory; dash is the oracle.
set -- -z; getopts a o 2>/dev/null; echo "$o"
