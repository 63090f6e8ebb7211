# Corpus script for Kite's POSIX shell (issue 14): loop break nested.
# Runs in a fresh temporary directory; dash is the oracle.
for i in 1 2; do for j in a b; do [ $j = b ] && break 2; echo $i$j; done; done; echo out
