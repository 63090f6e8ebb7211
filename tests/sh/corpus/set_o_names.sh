# Corpus script for Kite's POSIX shell (issue 14): set -o NAME and +o NAME turn
# options on and off by name, as the letters do; a bad name is an error.
set -o noglob
case $- in *f*) echo noglob on ;; esac
set +o noglob
case $- in *f*) ;; *) echo noglob off ;; esac
set -o errexit -o nounset
echo "$-" | grep -c e
set +o errexit +o nounset
(set -o nosuchoption) 2>/dev/null
echo "bad name: $?"
