# Corpus script for Kite's POSIX shell (issue 14): alias basic.
# Runs in a fresh temporary directory; dash is the oracle.
alias hi="echo hello"
hi
unalias hi
alias | grep -c hi
