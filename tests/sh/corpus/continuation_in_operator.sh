# Corpus script for Kite's POSIX shell (issue 14): a line continuation
# between the two characters of an operator (&& || << >>) is removed
# before the operator is recognised.
true &\
& echo b
echo c |\
| echo d
cat <\
<E
here
E
echo e >\
> f; cat f
wait
