# Corpus script for Kite's POSIX shell (issue 14): eval basic.
# Runs in a fresh temporary directory; dash is the oracle.
x="echo hi"; eval $x; eval "y=5"; echo $y; eval "echo \$y"
