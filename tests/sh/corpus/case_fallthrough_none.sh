# Corpus script for Kite's POSIX shell (issue 14): case fallthrough none.
# Runs in a fresh temporary directory; dash is the oracle.
case z in a) echo a;; esac; echo "status $?"
