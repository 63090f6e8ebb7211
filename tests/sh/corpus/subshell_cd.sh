# Corpus script for Kite's POSIX shell (issue 14): subshell cd.
# Runs in a fresh temporary directory; dash is the oracle.
mkdir d; (cd d && pwd | grep -c /d$); pwd | grep -c /d$
