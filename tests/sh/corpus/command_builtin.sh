# Corpus script for Kite's POSIX shell (issue 14): command builtin.
# Runs in a fresh temporary directory; dash is the oracle.
command echo via-command; command -v echo; f() { echo f; }; command -v f
