# Corpus script for Kite's POSIX shell (issue 14): heredoc basic.
# Runs in a fresh temporary directory; dash is the oracle.
x=val
cat <<EOF
line $x
$(echo sub)
EOF
