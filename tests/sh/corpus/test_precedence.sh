# Corpus script for Kite's POSIX shell (issue 14): test's -a binds tighter
# than -o, ! and parentheses, and POSIX's rules for 1 to 4 arguments.
# Runs in a fresh temporary directory; dash is the oracle.
t() { test "$@" 2>/dev/null; echo "$?"; }
t x -o "" -a ""
t "" -a x -o x
t ! "" -a x
t \( x -o "" \) -a ""
t ! \( x \)
t ! ! x
t !
t -n
t = = =
t ! = =
t \( = \)
t \( -z \)
t \( ! \)
t ! x = y
t -z -a -z
t \( \)
t 1 -eq 1 -a 2 -ne 3 -o 1 -gt 2
[ ] 2>/dev/null; echo "$?"
[ ! ] 2>/dev/null; echo "$?"
[ x 2>/dev/null; echo "$?"
[ a b ] 2>/dev/null; echo "$?"
