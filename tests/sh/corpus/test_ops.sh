# Corpus script for Kite's POSIX shell (issue 14): test ops.
# Runs in a fresh temporary directory; dash is the oracle.
for e in "-n x" "-z x" "a = a" "a != b" "1 -lt 2" "2 -ge 3" "-d ." "-f nope" "! -e nope"; do if test $e; then echo "$e: T"; else echo "$e: F"; fi; done
