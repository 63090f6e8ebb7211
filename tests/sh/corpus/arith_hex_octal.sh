# Corpus script for Kite's POSIX shell (issue 14): arith hex octal.
# Runs in a fresh temporary directory; dash is the oracle.
echo $((0x1f)) $((010)) $((0xff+1))
