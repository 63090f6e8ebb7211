# Corpus script for Kite's POSIX shell (issue 14): printf escapes.
# Runs in a fresh temporary directory; dash is the oracle.
printf "a\tb\\n\n"; printf "%b\n" "x\ty"
