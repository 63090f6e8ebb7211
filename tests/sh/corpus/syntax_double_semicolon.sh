# Corpus script for Kite's POSIX shell (issue 14): syntax double semicolon.
# Runs in a fresh temporary directory; dash is the oracle.
echo a; ; echo c
echo must not print
