# Corpus script for Kite's POSIX shell (issue 14): field split empty.
# Runs in a fresh temporary directory; dash is the oracle.
e=; set -- $e; echo $#; set -- "$e"; echo $#
