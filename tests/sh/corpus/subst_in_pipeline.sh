# Corpus script for Kite's POSIX shell (issue 14): subst in pipeline.
# Runs in a fresh temporary directory; dash is the oracle.
echo "$(echo one two | wc -w)" | cat
