# Corpus script for Kite's POSIX shell (issue 14): subst basic.
# Runs in a fresh temporary directory; dash is the oracle.
x=$(echo hi); echo "$x"; y=`echo there`; echo "$y"
