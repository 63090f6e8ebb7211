# Corpus script for Kite's POSIX shell (issue 14): here-documents and $(...).
# One opened inside $(...) whose body would come after the line gets none
# (the lines after run as commands); the line's own here-document waits for
# the newline after the $(...), even one that spans lines.
echo "[$(cat <<E)]"
E
echo "status $?"
cat <<A; echo $(echo x
echo y)
body
A
x=$(cat <<E
inside
E
); echo "$x"
