# Corpus script for Kite's POSIX shell (issue 14): getopts in silent mode (leading colon): ? with OPTARG for unknown letters, : for a missing argument.
# Runs in a fresh temporary directory; dash is the oracle.
set -- -a -q -b
while getopts :ab o; do case $o in \?) echo "unknown $OPTARG";; *) echo "ok $o";; esac; done
echo "OPTIND=$OPTIND"
OPTIND=1
getopts :f: o -f; echo "[$o][$OPTARG]"
OPTIND=1
getopts f: o -f 2>/dev/null; echo "[$o][${OPTARG-unset}]"
OPTIND=1
getopts a o -x 2>/dev/null; echo "$? [$o][${OPTARG-unset}]"
