# Corpus script for Kite's POSIX shell (issue 14): kill with signals named
# and numbered in their several ways, kill -l of statuses, and errors.
# Runs in a fresh temporary directory; dash is the oracle.
trap 'echo usr1' USR1
trap 'echo usr2' USR2
trap 'echo term' TERM
trap 'echo hup' HUP
kill -USR1 $$; kill -usr2 $$; kill -s TERM $$; kill -s hup $$
kill -10 $$; kill -1 $$; kill -s 15 $$; kill $$
kill -0 $$; echo "zero $?"
kill -l 143; kill -l 129; kill -l 10; kill -l 138
kill -l 0 2>/dev/null; echo "$?"
kill -l 128 2>/dev/null; echo "$?"
kill -l FOO 2>/dev/null; echo "$?"
kill -s SIGTERM $$ 2>/dev/null; echo "$?"
kill -s FOO $$ 2>/dev/null; echo "$?"
kill -FOO $$ 2>/dev/null; echo "$?"
kill 2>/dev/null; echo "$?"
kill abc 2>/dev/null; echo "$?"
kill %5 2>/dev/null; echo "$?"
kill -- -0x1 2>/dev/null; echo "$?"
