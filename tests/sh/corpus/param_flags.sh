# Corpus script for Kite's POSIX shell (issue 14): param flags.
# Runs in a fresh temporary directory; dash is the oracle.
set -f; case $- in *f*) echo f on;; esac; set +f; case $- in *f*) echo still;; *) echo f off;; esac
