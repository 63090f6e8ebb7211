# Corpus script for Kite's POSIX shell (issue 14): wait takes %n job specs,
# remembers a finished job's status for a second wait, and rejects a bad
# operand (2) or an unknown job (2); a pid that is no child gives 127.
(exit 3) &
p=$!
sleep 1 # the job has ended (and been reaped at this fork) before wait
wait %1; echo "job spec: $?"
wait $p; echo "again: $?"
(exit 4) &
q=$!
true & true &
wait $q; echo "among others: $?"
wait %9 2>/dev/null; echo "no such job: $?"
wait abc 2>/dev/null; echo "bad operand: $?"
wait 99999; echo "no child: $?"
wait; echo "all: $?"
