# Corpus script for Kite's POSIX shell (issue 14): set -C refuses > onto an
# existing regular file only; /dev/null (not a regular file) is written to,
# a new file is created, >| still replaces. Runs in a fresh temporary
# directory; dash is the oracle.
set -C
echo a >/dev/null
echo "devnull: $?"
: >/dev/null && echo "colon devnull: ok"
{ echo b; } >/dev/null
echo "group devnull: $?"
echo new >f
echo "new file: $?"
(echo again >f) 2>/dev/null
echo "existing file: $?"
cat f
echo replaced >|f
cat f
mkdir d
(echo x >d) 2>/dev/null
echo "directory: $?"
set +C
echo "off" >f
cat f
