# Corpus script for Kite's POSIX shell (issue 14): case bracket.
# Runs in a fresh temporary directory; dash is the oracle.
for c in a B 3 -; do case $c in [a-z]) echo lower;; [A-Z]) echo upper;; [!a-zA-Z]) echo other;; esac; done
