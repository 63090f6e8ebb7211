# Corpus script for Kite's POSIX shell (issue 14): cd with CDPATH.
# Runs in a fresh temporary directory; dash is the oracle.
mkdir -p base/sub
CDPATH=./base
cd sub > /dev/null
pwd | grep -c /base/sub$
