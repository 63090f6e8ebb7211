# Corpus script for Kite's POSIX shell (issue 14): glob nomatch.
# Runs in a fresh temporary directory; dash is the oracle.
echo *.none; echo "*.t"
