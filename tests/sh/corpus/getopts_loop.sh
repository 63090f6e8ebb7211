# Corpus script for Kite's POSIX shell (issue 14): getopts loop.
# Runs in a fresh temporary directory; dash is the oracle.
set -- -a -b val -c arg1; while getopts ab:c o; do echo "$o ${OPTARG-}"; done; shift $((OPTIND-1)); echo rest $@
