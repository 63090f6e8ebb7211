# Corpus script for Kite's POSIX shell (issue 14): quote single.
# Runs in a fresh temporary directory; dash is the oracle.
echo 'a $x \\ "b"'
