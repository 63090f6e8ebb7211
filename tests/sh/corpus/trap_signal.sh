# Corpus script for Kite's POSIX shell (issue 14): trap signal.
# Runs in a fresh temporary directory; dash is the oracle.
trap "echo got usr1" USR1; kill -USR1 $$; echo after
