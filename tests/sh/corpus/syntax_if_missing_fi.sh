# Corpus script for Kite's POSIX shell (issue 14): syntax if missing fi.
# Runs in a fresh temporary directory; dash is the oracle.
if true; then
echo x
