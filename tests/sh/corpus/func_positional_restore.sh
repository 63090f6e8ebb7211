# Corpus script for Kite's POSIX shell (issue 14): func positional restore.
# Runs in a fresh temporary directory; dash is the oracle.
set -- x y; f() { echo $1; }; f a; echo $1 $#
