# Corpus script for Kite's POSIX shell (issue 14): param default.
# Runs in a fresh temporary directory; dash is the oracle.
unset x; echo "${x:-w}" "${x-v}"; x=; echo "[${x:-w}]" "[${x-v}]"
