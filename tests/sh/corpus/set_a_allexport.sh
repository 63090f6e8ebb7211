# Corpus script for Kite's POSIX shell (issue 14): set -a exports every
# variable assigned while it is on (and not those assigned before or after).
before=1
set -a
during=2
read_var=x
set +a
after=3
env | grep '^during='
env | grep '^read_var='
env | grep -c '^before='
env | grep -c '^after='
echo "$-" | grep -c a
