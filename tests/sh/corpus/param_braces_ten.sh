# Corpus script for Kite's POSIX shell (issue 14): param braces ten.
# Runs in a fresh temporary directory; dash is the oracle.
set -- 1 2 3 4 5 6 7 8 9 10; echo ${10} $10
