# Corpus script for Kite's POSIX shell (issue 14): a redirection onto a
# descriptor that was closed, for a builtin, a function, a compound command
# and a here-document, closes it again afterwards (the new file must not
# stay open). Runs in a fresh temporary directory; dash is the oracle.
{ :; } 3>o3
echo leaked >&3 2>/dev/null
echo "group: $?"
cat o3
f() { :; }
f 4>o4
echo leaked >&4 2>/dev/null
echo "function: $?"
cat o4
: 5>o5
echo leaked >&5 2>/dev/null
echo "builtin: $?"
cat o5
: 6<<END
body
END
cat <&6 2>/dev/null
echo "heredoc: $?"
while false; do :; done 7>o7
echo leaked >&7 2>/dev/null
echo "loop: $?"
{ echo inside >&3; } 3>o3
cat o3
exec 8>o8
echo kept >&8
exec 8>&-
cat o8
