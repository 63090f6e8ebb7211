# Corpus script for Kite's POSIX shell (issue 14): read rest.
# Runs in a fresh temporary directory; dash is the oracle.
echo "one two three four" | { read a b; echo "$a|$b"; }
