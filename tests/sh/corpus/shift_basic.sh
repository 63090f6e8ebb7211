# Corpus script for Kite's POSIX shell (issue 14): shift basic.
# Runs in a fresh temporary directory; dash is the oracle.
set -- a b c d; shift; echo $@; shift 2; echo $@; shift; echo $#
