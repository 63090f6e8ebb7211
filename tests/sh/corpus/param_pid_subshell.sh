# Corpus script for Kite's POSIX shell (issue 14): dollar dollar in a subshell.
# Runs in a fresh temporary directory; dash is the oracle.
a=$$; b=$(echo $$); [ "$a" = "$b" ] && echo same
