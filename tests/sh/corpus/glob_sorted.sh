# Corpus script for Kite's POSIX shell (issue 14): glob sorted.
# Runs in a fresh temporary directory; dash is the oracle.
for f in c b a ab; do : > $f.t; done; echo *.t; echo ?.t; echo [ab].t
