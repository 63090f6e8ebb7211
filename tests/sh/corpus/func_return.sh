# Corpus script for Kite's POSIX shell (issue 14): func return.
# Runs in a fresh temporary directory; dash is the oracle.
f() { return 5; echo no; }; f; echo $?; g() { false; return; }; g; echo $?
