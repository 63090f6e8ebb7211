# Corpus script for Kite's POSIX shell (issue 14): read splits at IFS: white space trimmed, other IFS characters delimit, empty fields, the last name takes the rest.
# Runs in a fresh temporary directory; dash is the oracle.
echo '  one   two  ' | { read a b c; echo "[$a][$b][$c]"; }
echo 'a::b:c:d:' | { IFS=: read a b c; echo "[$a][$b][$c]"; }
echo 'a:b:' | { IFS=: read a b; echo "[$a][$b]"; }
echo 'a:b::' | { IFS=: read a b; echo "[$a][$b]"; }
echo ' a : b  c :' | { IFS=': ' read a b c; echo "[$a][$b][$c]"; }
echo '  keep  spaces  ' | { IFS= read a; echo "[$a]"; }
echo ',x' | { IFS=, read a b; echo "[$a][$b]"; }
echo 'only' | { read a b c; echo "[$a][$b][$c]"; }
printf 'no newline' | { read a b; echo "$? [$a][$b]"; }
printf '' | { read a; echo "$? [$a]"; }
