# Corpus script for Kite's POSIX shell (issue 14): read loop.
# Runs in a fresh temporary directory; dash is the oracle.
printf "1\n2\n3\n" | while read n; do echo "n=$n"; done
