# Corpus script for Kite's POSIX shell (issue 14): param nested default.
# Runs in a fresh temporary directory; dash is the oracle.
unset a b; echo ${a:-${b:-deep}}
