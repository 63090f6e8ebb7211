# Corpus script for Kite's POSIX shell (issue 14): subst newlines.
# Runs in a fresh temporary directory; dash is the oracle.
x=$(printf "a\n\n\n"); echo "[$x]"; y=$(printf "a\nb\n"); echo "[$y]"
