# Corpus script for Kite's POSIX shell (issue 14): arith incdec.
# Runs in a fresh temporary directory; dash is the oracle.
x=1; echo $((x+=1)) $x; y=10; : $((y-=3)); echo $y
