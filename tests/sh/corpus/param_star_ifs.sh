# Corpus script for Kite's POSIX shell (issue 14): param star ifs.
# Runs in a fresh temporary directory; dash is the oracle.
set -- a b c; IFS=:; echo "$*"; IFS=; echo "$*"
