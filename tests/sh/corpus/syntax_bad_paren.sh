# Corpus script for Kite's POSIX shell (issue 14): syntax bad paren.
# Runs in a fresh temporary directory; dash is the oracle.
echo )
echo must not print
