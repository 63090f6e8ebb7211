# Corpus script for Kite's POSIX shell (issue 14): redirect compound.
# Runs in a fresh temporary directory; dash is the oracle.
if true; then echo in-if; fi > f; while false; do :; done; for i in 1 2; do echo $i; done > g; cat f g
