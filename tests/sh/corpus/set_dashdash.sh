# Corpus script for Kite's POSIX shell (issue 14): set dashdash.
# Runs in a fresh temporary directory; dash is the oracle.
set -- one two; echo $#; set --; echo $#
