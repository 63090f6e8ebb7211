# Corpus script for Kite's POSIX shell (issue 14): a trapped signal ends a
# wait with 128 + its number, and the trap runs (before the next command).
trap 'echo trapped' USR1
sleep 30 &
sleeper=$!
(sleep 1; kill -USR1 $$) &
wait $sleeper
echo "wait: $?"
kill $sleeper
wait $sleeper
echo "killed: $?"
