# Corpus script for Kite's POSIX shell (issue 14): loop break continue.
# Runs in a fresh temporary directory; dash is the oracle.
for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done
