# Corpus script for Kite's POSIX shell (issue 14): func local.
# Runs in a fresh temporary directory; dash is the oracle.
x=g; f() { local x=l; echo $x; }; f; echo $x
