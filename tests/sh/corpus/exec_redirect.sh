# Corpus script for Kite's POSIX shell (issue 14): exec redirect.
# Runs in a fresh temporary directory; dash is the oracle.
exec 5> f; echo one >&5; echo two >&5; exec 5>&-; cat f
