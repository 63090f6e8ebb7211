# Corpus script for Kite's POSIX shell (issue 14): arith loop.
# Runs in a fresh temporary directory; dash is the oracle.
i=0; s=0; while [ $i -lt 100 ]; do s=$((s+i)); i=$((i+1)); done; echo $s
