# Corpus script for Kite's POSIX shell (issue 14): NUL bytes in a command
# substitution's output are dropped (a C string cannot hold them), not
# the end of the output. Runs in a fresh temporary directory; dash is the
# oracle.
x=$(printf 'a\0b')
echo "$x ${#x}"
echo "[$(printf '\0\0c\0')]"
y=`printf '1\0002\0003'`
echo "$y"
z=$(printf '\0')
echo "[$z] ${#z}"
printf 'one\0two\n' >f
w=$(cat f)
echo "$w"
set -- $(printf 'p\0q r\0s')
echo "$# $1 $2"
