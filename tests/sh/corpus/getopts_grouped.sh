# Corpus script for Kite's POSIX shell (issue 14): getopts with grouped letters, joined and separate arguments, --, explicit arguments, and OPTIND=1 to start again.
# Runs in a fresh temporary directory; dash is the oracle.
set -- -abc -d val -eVAL -- -f rest
while getopts abcd:e:f o; do echo "$o ${OPTARG}"; done
shift $((OPTIND - 1)); echo "left: $*"
OPTIND=1
getopts xy o -xy; echo "$o $OPTIND"; OPTIND=1; getopts xy o -xy; echo "$o $OPTIND"
getopts xy o -xy; echo "$o $OPTIND"; getopts xy o -xy; echo "$? $o $OPTIND"
OPTIND=1
while getopts n: o -n1 -n 2 word -n3; do echo "n=$OPTARG"; done; echo "stopped at $OPTIND"
