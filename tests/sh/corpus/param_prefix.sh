# Corpus script for Kite's POSIX shell (issue 14): param prefix.
# Runs in a fresh temporary directory; dash is the oracle.
f=a/b/c; echo ${f#*/} ${f##*/}
