# Corpus script for Kite's POSIX shell (issue 14): aliases naming aliases, a value
# ending in a blank, a value holding a newline or a compound command.
alias hi="echo hello"
hi
alias say='echo '
alias w=world
say w
alias a=b b=a
a 2>/dev/null; echo $?
alias two='echo one
echo two'
two
alias cond='if true; then echo yes; fi'
cond
alias e=''
e echo empty
unalias hi
alias | grep -c hi
alias echo='echo said'
echo done
