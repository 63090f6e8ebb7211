# Corpus script for Kite's POSIX shell (issue 14): group redirect.
# Runs in a fresh temporary directory; dash is the oracle.
{ echo a; echo b; } > g.txt; cat g.txt
