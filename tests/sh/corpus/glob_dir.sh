# Corpus script for Kite's POSIX shell (issue 14): glob dir.
# Runs in a fresh temporary directory; dash is the oracle.
mkdir -p x/y; : > x/y/f1; : > x/y/f2; echo x/*/f*
