# Corpus script for Kite's POSIX shell (issue 14): ulimit -n and -c, soft
# and hard limits, and the errors it reports (in subshells, so the limits
# go back). Raising a hard limit is left out: whether root may (Linux's
# CAP_SYS_RESOURCE) differs between this machine's container and Kite.
# Runs in a fresh temporary directory; dash is the oracle.
(ulimit -n 64; ulimit -n; ulimit -Sn; ulimit -Hn)
(ulimit -n 64; ulimit -Sn 32; ulimit -n; ulimit -Hn)
(ulimit -n 64; ulimit -Sn 32; ulimit -Hn 48 && ulimit -Hn; ulimit -Sn)
(ulimit -c 0; ulimit -c; ulimit -Hc)
ulimit -n abc 2>/dev/null; echo "$?"
ulimit -n 1 2 2>/dev/null; echo "$?"
ulimit -z 2>/dev/null; echo "$?"
ulimit -a | grep -c nofiles
