# Corpus script for Kite's POSIX shell (issue 14): export, readonly and
# unset take -- before their operands and refuse an unknown option (an
# error that exits a subshell with status 2, as a special builtin's);
# local refuses a bad name. Runs in a fresh temporary directory; dash is
# the oracle.
export -- a=1
readonly -- b=2
echo "$a $b"
x=1
unset -- x
echo "${x-unset}"
x=1
unset -v -- x
echo "${x-unset -v}"
f() { echo f; }
unset -f -- f
(f) 2>/dev/null
echo "function: $?"
(export -z y; echo not reached) 2>/dev/null
echo "export -z: $?"
(unset -z y; echo not reached) 2>/dev/null
echo "unset -z: $?"
g() { local 1x; echo not reached; }
(g) 2>/dev/null
echo "local 1x: $?"
h() { local p q=2; p=1; echo "local: $p $q"; }
h
echo "after: [${p-}${q-}]"
