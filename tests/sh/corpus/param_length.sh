# Corpus script for Kite's POSIX shell (issue 14): param length.
# Runs in a fresh temporary directory; dash is the oracle.
x=hello; echo ${#x}; y=; echo ${#y}
