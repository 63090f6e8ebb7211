# Corpus script for Kite's POSIX shell (issue 14): set f.
# Runs in a fresh temporary directory; dash is the oracle.
touch a.x b.x; set -f; echo *.x; set +f; echo *.x
