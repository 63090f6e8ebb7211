# Corpus script for Kite's POSIX shell (issue 14): read takes one line only, so the commands after it read the rest of the same input.
# Runs in a fresh temporary directory; dash is the oracle.
printf 'first\nsecond\nthird\n' | { read a; cat; echo "[$a]"; }
printf 'h1 h2\nbody\n' > data
{ read x y; read z; echo "$x|$y|$z"; } < data
while read -r line; do echo "<$line>"; done < data
exec 4< data; read p <&4; read q <&4; echo "$p/$q"; exec 4<&-
