# Corpus script for Kite's POSIX shell (issue 14): param at quoted.
# Runs in a fresh temporary directory; dash is the oracle.
set -- "a b" c; for i in "$@"; do echo "<$i>"; done; for i in $@; do echo "[$i]"; done
