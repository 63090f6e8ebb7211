# Corpus script for Kite's POSIX shell (issue 14): heredoc two.
# Runs in a fresh temporary directory; dash is the oracle.
cat <<A; cat <<B
one
A
two
B
