# Corpus script for Kite's POSIX shell (issue 14): func basic.
# Runs in a fresh temporary directory; dash is the oracle.
f() { echo "f $1 $#"; }; f a b; f
