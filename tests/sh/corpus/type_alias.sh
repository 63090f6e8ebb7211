# Corpus script for Kite's POSIX shell (issue 14): command -v, command -V
# and type know aliases, which come before functions and builtins, and
# quote the value as alias prints it. Runs in a fresh temporary directory;
# dash is the oracle.
alias foo=bar
command -v foo
command -V foo
type foo
echo "status: $?"
alias quoted="echo it's"
command -v quoted
type quoted
alias empty=
command -v empty
f() { :; }
alias f='echo alias'
type f
command -v f
alias echo=printf
type echo
unalias foo f echo
command -v foo
echo "unaliased: $?"
type f
