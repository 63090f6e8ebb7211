# Corpus script for Kite's POSIX shell (issue 14): printf formats.
# Runs in a fresh temporary directory; dash is the oracle.
printf "%s-%d-%5s-%-3s|\n" a 42 b c; printf "%x %o %c\n" 255 8 hello
