# Corpus script for Kite's POSIX shell (issue 14): subst nested.
# Runs in a fresh temporary directory; dash is the oracle.
echo "x$(echo y$(echo z))"; echo `echo a \`echo b\``
