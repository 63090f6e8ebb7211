# Corpus script for Kite's POSIX shell (issue 14): export prefix.
# Runs in a fresh temporary directory; dash is the oracle.
z=tmp env | grep ^z=; echo "[${z-unset}]"
