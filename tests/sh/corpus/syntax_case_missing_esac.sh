# Corpus script for Kite's POSIX shell (issue 14): syntax case missing esac.
# Runs in a fresh temporary directory; dash is the oracle.
case x in x) echo y;;
