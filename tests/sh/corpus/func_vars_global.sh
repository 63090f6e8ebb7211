# Corpus script for Kite's POSIX shell (issue 14): func vars global.
# Runs in a fresh temporary directory; dash is the oracle.
f() { y=set; }; f; echo $y
