# Corpus script for Kite's POSIX shell (issue 14): param error.
# Runs in a fresh temporary directory; dash is the oracle.
unset x; echo before; (: ${x:?oops}) 2>/dev/null; echo "status $?"
