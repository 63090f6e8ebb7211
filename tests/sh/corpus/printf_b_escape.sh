# Corpus script for Kite's POSIX shell (issue 14): printf %b: echo's escapes in the argument, \0NNN and \NNN, and \c ends all output.
# Runs in a fresh temporary directory; dash is the oracle.
printf '%b|\n' 'a\tb' 'x\\y' '\0101\101' '\1011' '\q' 'end\\'
printf '[%5b][%-4b][%.2b]\n' ab cd efgh
printf '%s %b\n' '\n' 'one\ctwo' 'never'
echo " after $?"
printf 'format escapes: \101\0102 \"q\" \q\n' | tr '\010' B
