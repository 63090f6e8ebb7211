# Corpus script for Kite's POSIX shell (issue 14): tilde expand.
# Runs in a fresh temporary directory; dash is the oracle.
HOME=/home/u; echo ~ ~/d; echo "~"; x=~; echo $x
