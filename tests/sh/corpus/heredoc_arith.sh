# Corpus script for Kite's POSIX shell (issue 14): heredoc arith.
# Runs in a fresh temporary directory; dash is the oracle.
n=3
cat <<EOF
$((n*2)) \$n
EOF
