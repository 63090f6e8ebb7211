# Corpus script for Kite's POSIX shell (issue 14): subst quotes.
# Runs in a fresh temporary directory; dash is the oracle.
x="$(echo "a  b")"; echo "$x"; echo $(echo "a  b")
