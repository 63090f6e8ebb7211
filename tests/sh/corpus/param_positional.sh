# Corpus script for Kite's POSIX shell (issue 14): param positional.
# Runs in a fresh temporary directory; dash is the oracle.
set -- a b c; echo $# $1 $3; echo "$@"; echo "$*"
