# Corpus script for Kite's POSIX shell (issue 14): case patterns.
# Runs in a fresh temporary directory; dash is the oracle.
for w in apple banana cherry 42 x.c; do case $w in a*) echo A;; b*|c*) echo BC;; [0-9]*) echo num;; *.c) echo csrc;; esac; done
