# Corpus script for Kite's POSIX shell (issue 14): pipeline status.
# Runs in a fresh temporary directory; dash is the oracle.
true | false; echo $?; false | true; echo $?
