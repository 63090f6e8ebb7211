# Corpus script for Kite's POSIX shell (issue 14): noexec file.
# Runs in a fresh temporary directory; dash is the oracle.
echo "echo x" > s; ./s 2>/dev/null; echo $?
