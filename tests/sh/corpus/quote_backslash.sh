# Corpus script for Kite's POSIX shell (issue 14): quote backslash.
# Runs in a fresh temporary directory; dash is the oracle.
echo a\ b \$x \\
