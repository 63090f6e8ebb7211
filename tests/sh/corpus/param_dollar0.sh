# Corpus script for Kite's POSIX shell (issue 14): param dollar0.
# Runs in a fresh temporary directory; dash is the oracle.
case $0 in *param_dollar0.sh) echo ok;; *) echo no;; esac
