# Corpus script for Kite's POSIX shell (issue 14): param alt.
# Runs in a fresh temporary directory; dash is the oracle.
x=1; echo "[${x:+alt}]"; unset x; echo "[${x:+alt}]"
