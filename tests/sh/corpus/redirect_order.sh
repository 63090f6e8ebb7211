# Corpus script for Kite's POSIX shell (issue 14): redirect order.
# Runs in a fresh temporary directory; dash is the oracle.
ls nope_file > o 2>&1; grep -c . o; ls nope_file 2>&1 > o2 | grep -c nope
