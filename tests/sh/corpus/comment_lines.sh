# Corpus script for Kite's POSIX shell (issue 14): comment lines.
# Runs in a fresh temporary directory; dash is the oracle.
# a comment
echo a # trailing
echo b#notcomment
