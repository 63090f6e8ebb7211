# Corpus script for Kite's POSIX shell (issue 14): printf reuse.
# Runs in a fresh temporary directory; dash is the oracle.
printf "%s\n" a b c; printf "%s=%s\n" k1 v1 k2
