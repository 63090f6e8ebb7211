# Corpus script for Kite's POSIX shell (issue 14): pipeline not.
# Runs in a fresh temporary directory; dash is the oracle.
! false; echo $?; ! true; echo $?
