# Corpus script for Kite's POSIX shell (issue 14): arith assign.
# Runs in a fresh temporary directory; dash is the oracle.
x=5; : $((x+=3)); echo $x; : $((x*=2)); echo $x; : $((y=4)); echo $y
