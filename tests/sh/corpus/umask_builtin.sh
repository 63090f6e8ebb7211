# Corpus script for Kite's POSIX shell (issue 14): umask builtin.
# Runs in a fresh temporary directory; dash is the oracle.
umask 022; umask; umask 077; umask
