# Corpus script for Kite's POSIX shell (issue 14): syntax unterminated quote.
# Runs in a fresh temporary directory; dash is the oracle.
echo "abc
echo must not print
