# Corpus script for Kite's POSIX shell (issue 14): line continuation.
# Runs in a fresh temporary directory; dash is the oracle.
echo one \
two; x=a\
b; echo $x
