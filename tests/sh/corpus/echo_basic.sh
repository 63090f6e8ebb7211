# Corpus script for Kite's POSIX shell (issue 14): echo basic.
# Runs in a fresh temporary directory; dash is the oracle.
echo a   b; echo "a   b"; echo; echo -n no-newline; echo
