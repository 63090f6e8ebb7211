# Corpus script for Kite's POSIX shell (issue 14): printf with bad numbers complains, prints what it could convert, goes on, and fails with status 1; a bad directive stops with status 2.
# Runs in a fresh temporary directory; dash is the oracle.
printf '%d|%d|%d\n' xyz 12abc 7 2>/dev/null; echo "status $?"
printf '%d\n' 99999999999999999999 2>/dev/null; echo "status $?"
printf '%.1f %f\n' 1.5x abc 2>/dev/null; echo "status $?"
printf 'a %q b\n' 1 2>/dev/null; echo " status $?"
printf '%5' 2>/dev/null; echo "status $?"
printf 2>/dev/null; echo "status $?"
printf -n x 2>/dev/null; echo "status $?"
printf -- '%s\n' dashdash; echo "status $?"
