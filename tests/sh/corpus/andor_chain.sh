# Corpus script for Kite's POSIX shell (issue 14): andor chain.
# Runs in a fresh temporary directory; dash is the oracle.
true && echo a || echo b; false && echo c || echo d; false || false || echo e
