# Corpus script for Kite's POSIX shell (issue 14): dot source.
# Runs in a fresh temporary directory; dash is the oracle.
echo "v=sourced" > lib.sh; . ./lib.sh; echo $v
