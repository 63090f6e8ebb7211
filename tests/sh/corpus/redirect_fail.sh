# Corpus script for Kite's POSIX shell (issue 14): redirect fail.
# Runs in a fresh temporary directory; dash is the oracle.
cat < /nonexistent/x 2>/dev/null; echo $?; echo after
