# Corpus script for Kite's POSIX shell (issue 14): group braces.
# Runs in a fresh temporary directory; dash is the oracle.
x=1; { x=2; echo in; }; echo $x; { echo a; echo b; } | wc -l
