# Corpus script for Kite's POSIX shell (issue 14): printf padding.
# Runs in a fresh temporary directory; dash is the oracle.
printf "[%05d] [%.2s] [%3d]\n" 42 abcdef 7
