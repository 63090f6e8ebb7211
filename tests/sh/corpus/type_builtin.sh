# Corpus script for Kite's POSIX shell (issue 14): type builtin.
# Runs in a fresh temporary directory; dash is the oracle.
type echo | grep -c builtin; f() { :; }; type f | grep -c function
