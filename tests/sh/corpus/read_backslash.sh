# Corpus script for Kite's POSIX shell (issue 14): read without -r: backslash quotes a character and joins lines; with -r backslashes stay.
# Runs in a fresh temporary directory; dash is the oracle.
printf 'a\\ b c\\\\d\n' | { read x y; echo "[$x][$y]"; }
printf 'a\\ b c\\\\d\n' | { read -r x y; echo "[$x][$y]"; }
printf 'one\\\ntwo three\n' | { read x y; echo "[$x][$y]"; }
printf 'x\\:y:z\n' | { IFS=: read x y; echo "[$x][$y]"; }
printf '\\ lead trail\\ \n' | { read x y; echo "[$x][$y]"; }
printf 'ends in backslash\\' | { read x; echo "$? [$x]"; }
printf 'line\n' | { read -r -p 'prompt: ' x; echo "[$x]"; }
