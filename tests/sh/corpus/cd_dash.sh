# Corpus script for Kite's POSIX shell (issue 14): cd dash.
# Runs in a fresh temporary directory; dash is the oracle.
mkdir a b; cd a; cd ../b; cd - > /dev/null; pwd | grep -c /a$
