# Corpus script for Kite's POSIX shell (issue 14): field split ifs ws.
# Runs in a fresh temporary directory; dash is the oracle.
IFS=" :"; x=" a : b "; set -- $x; echo $#; for w; do echo "[$w]"; done
