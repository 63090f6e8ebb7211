# Corpus script for Kite's POSIX shell (issue 14): read r.
# Runs in a fresh temporary directory; dash is the oracle.
printf "a\\tb\n" | { read -r x; echo "$x"; }; printf "a\\\nb\n" | { read x; echo "$x"; }
