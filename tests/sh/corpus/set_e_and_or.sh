# Corpus script for Kite's POSIX shell (issue 14): set e and or.
# Runs in a fresh temporary directory; dash is the oracle.
set -e; false || echo or; false && echo no; echo still; if false; then :; fi; echo after
