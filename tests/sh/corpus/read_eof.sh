# Corpus script for Kite's POSIX shell (issue 14): read eof.
# Runs in a fresh temporary directory; dash is the oracle.
printf "last" | { read x; echo "$? $x"; }
