# Corpus script for Kite's POSIX shell (issue 14): arith vars.
# Runs in a fresh temporary directory; dash is the oracle.
a=3 b=4; echo $((a*a+b*b)); c=a; echo $((c))
