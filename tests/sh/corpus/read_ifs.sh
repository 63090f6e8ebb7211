# Corpus script for Kite's POSIX shell (issue 14): read ifs.
# Runs in a fresh temporary directory; dash is the oracle.
echo "a:b:c" | { IFS=: read x y z; echo "$x-$y-$z"; }
