# Corpus script for Kite's POSIX shell (issue 14): set e pipeline not.
# Runs in a fresh temporary directory; dash is the oracle.
set -e; ! true; echo survived; true | false | true; echo pipe ok
