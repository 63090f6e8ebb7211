# Corpus script for Kite's POSIX shell (issue 14): pwd builtin.
# Runs in a fresh temporary directory; dash is the oracle.
mkdir real; cd real; pwd -L | grep -c /real$; pwd -P | grep -c /real$
