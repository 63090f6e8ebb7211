# Corpus script for Kite's POSIX shell (issue 14): unset var.
# Runs in a fresh temporary directory; dash is the oracle.
x=1; unset x; echo "[${x-gone}]"; f() { :; }; unset -f f; command -v f || echo nofunc
