# Corpus script for Kite's POSIX shell (issue 14): func recursion.
# Runs in a fresh temporary directory; dash is the oracle.
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 6
