# Corpus script for Kite's POSIX shell (issue 14): case expansion.
# Runs in a fresh temporary directory; dash is the oracle.
p=b*; case bob in $p) echo match;; esac
