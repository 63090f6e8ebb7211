# Corpus script for Kite's POSIX shell (issue 14): redirect dup close.
# Runs in a fresh temporary directory; dash is the oracle.
exec 4> f; echo via4 >&4; exec 4>&-; cat f; (echo x >&4) 2>/dev/null || echo closed
