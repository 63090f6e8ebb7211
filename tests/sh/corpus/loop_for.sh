# Corpus script for Kite's POSIX shell (issue 14): loop for.
# Runs in a fresh temporary directory; dash is the oracle.
for x in a b c; do echo $x; done; for y; do echo never; done; echo end
