# Corpus script for Kite's POSIX shell (issue 14): param assign.
# Runs in a fresh temporary directory; dash is the oracle.
unset x; echo "${x:=set}"; echo "$x"; y=; : ${y=keep}; echo "[$y]"
