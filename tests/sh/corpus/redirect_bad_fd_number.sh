# Corpus script for Kite's POSIX shell (issue 14): >&N with N too large
# for a descriptor is "Bad fd number" (a syntax error in dash, so run by
# eval in a subshell), never N cut down to a small descriptor
# (4294967297 is 1 in 32 bits). Runs in a fresh temporary directory; dash
# is the oracle.
(eval 'echo wrapped >&4294967297') 2>/dev/null
echo "status: $?"
(eval 'echo wrapped >&4294967296') 2>/dev/null
echo "status: $?"
(eval 'echo huge >&99999999999999999999') 2>/dev/null
echo "status: $?"
(eval 'echo minus >&-1') 2>/dev/null
echo "status: $?"
echo "to stderr" >&2 2>/dev/null
echo "status: $?"
