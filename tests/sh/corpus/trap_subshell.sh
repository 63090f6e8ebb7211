# Corpus script for Kite's POSIX shell (issue 14): trap subshell.
# Runs in a fresh temporary directory; dash is the oracle.
trap "echo outer" EXIT; (echo sub); echo end
