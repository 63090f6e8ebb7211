# Corpus script for Kite's POSIX shell (issue 14): quote double.
# Runs in a fresh temporary directory; dash is the oracle.
x=v; echo "a $x \$x \\ 'b'"
