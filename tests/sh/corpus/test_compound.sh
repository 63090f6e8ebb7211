# Corpus script for Kite's POSIX shell (issue 14): test compound.
# Runs in a fresh temporary directory; dash is the oracle.
[ 1 -eq 1 -a 2 -eq 2 ] && echo and; [ 1 -eq 2 -o 2 -eq 2 ] && echo or; [ \( 1 -eq 1 \) ] && echo paren
