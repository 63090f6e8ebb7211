# Corpus script for Kite's POSIX shell (issue 14): trap reset.
# Runs in a fresh temporary directory; dash is the oracle.
trap "echo x" EXIT; trap - EXIT; echo done
