# Corpus script for Kite's POSIX shell (issue 14): an alias naming itself
# after ; or a newline in its value is not expanded again (it stays in use
# while its text is read); the word after a value ending in a blank is
# checked once, an empty value leaves the command word to come.
alias e='echo hi; e'
e 2>/dev/null; echo "status $?"
alias f='f
f'
f 2>/dev/null; echo "status $?"
alias x='echo '
x x x
alias a='b ' b='echo ' w=W w2='echo W2'
a w w2
alias n='' ll='echo LL'
n ll
alias p='echo p; p '
p p 2>/dev/null; echo "status $?"
