# Corpus script for Kite's POSIX shell (issue 14): command -v, command -V
# and type name the reserved words as keywords (before an alias of the
# same name). Runs in a fresh temporary directory; dash is the oracle.
for word in ! { } case do done elif else esac fi for if in then until while; do
    type "$word"
    command -v "$word"
done
command -V if
alias if=echo
type if
echo "status: $?"
