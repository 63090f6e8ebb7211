# Corpus script for Kite's POSIX shell (issue 14): getopts in functions.
# Runs in a fresh temporary directory; dash is the oracle. As in dash, a
# function call has its own getopts place (so it parses its own options
# each time, and leaves the caller inside -ab), and set -- starts afresh.
parse() { while getopts xy: o; do echo "  $o ${OPTARG}"; done; echo "  stop $OPTIND"; }
echo first; parse -x -y 1
echo second; parse -y2 -x
set -- -ab -c
while getopts abc o; do echo "outer $o"; parse -x; done
set -- -ab; getopts ab o; echo "$o"; set -- -yz; getopts yz o; echo "$o $OPTIND"
