# Corpus script for Kite's POSIX shell (issue 14): exit, return, break,
# continue and shift refuse counts past what an int holds ("Illegal
# number", status 2, exiting the shell as a special builtin's error)
# rather than cutting them to 32 bits (4294967297 would be 1). Each case
# in a subshell, whose status is printed. Runs in a fresh temporary
# directory; dash is the oracle.
(exit 4294967297) 2>/dev/null
echo "exit 4294967297: $?"
(exit 4294967296) 2>/dev/null
echo "exit 4294967296: $?"
(exit 99999999999999999999) 2>/dev/null
echo "exit huge: $?"
(exit 2147483647) 2>/dev/null
echo "exit INT_MAX: $?"
(exit 2147483648) 2>/dev/null
echo "exit INT_MAX+1: $?"
f() { return 4294967296; }
(f; echo not reached) 2>/dev/null
echo "return 4294967296: $?"
(for i in 1 2; do break 2147483648; done; echo not reached) 2>/dev/null
echo "break 2147483648: $?"
(for i in 1 2; do continue 4294967297; done; echo not reached) 2>/dev/null
echo "continue 4294967297: $?"
for i in 1 2; do
    for j in 1; do break 2147483647; done
    echo not reached
done
echo "break INT_MAX: $?"
(set -- a b; shift 4294967297; echo not reached $#) 2>/dev/null
echo "shift 4294967297: $?"
(set -- a b; shift 2147483648; echo not reached $#) 2>/dev/null
echo "shift 2147483648: $?"
