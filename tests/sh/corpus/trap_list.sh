# Corpus script for Kite's POSIX shell (issue 14): trap list.
# Runs in a fresh temporary directory; dash is the oracle.
trap "echo hi" INT; trap
