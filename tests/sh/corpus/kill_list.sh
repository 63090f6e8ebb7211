# Corpus script for Kite's POSIX shell (issue 14): kill list.
# Runs in a fresh temporary directory; dash is the oracle.
kill -l 9; kill -l 15; kill -0 $$ && echo alive
