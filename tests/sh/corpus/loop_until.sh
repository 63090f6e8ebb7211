# Corpus script for Kite's POSIX shell (issue 14): loop until.
# Runs in a fresh temporary directory; dash is the oracle.
i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done
