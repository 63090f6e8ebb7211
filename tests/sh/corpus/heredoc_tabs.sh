# Corpus script for Kite's POSIX shell (issue 14): heredoc tabs.
# Runs in a fresh temporary directory; dash is the oracle.
cat <<-EOF
	indented
		more
	EOF
echo after
