# Corpus script for Kite's POSIX shell (issue 14): export env.
# Runs in a fresh temporary directory; dash is the oracle.
x=1; export x; env | grep ^x=; y=2; env | grep -c ^y=
