# Corpus script for Kite's POSIX shell (issue 14): param bang.
# Runs in a fresh temporary directory; dash is the oracle.
true & p=$!; wait $p; case $p in ""|*[!0-9]*) echo bad;; *) echo pid ok;; esac
