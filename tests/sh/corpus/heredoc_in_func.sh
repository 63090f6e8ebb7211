# Corpus script for Kite's POSIX shell (issue 14): heredoc in func.
# Runs in a fresh temporary directory; dash is the oracle.
f() {
cat <<EOF
in f $1
EOF
}
f arg
