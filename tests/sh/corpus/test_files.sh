# Corpus script for Kite's POSIX shell (issue 14): test files.
# Runs in a fresh temporary directory; dash is the oracle.
echo x > f; mkdir d; [ -s f ] && echo s; [ -r f ] && echo r; [ -d d ] && echo d; [ -e f ] && echo e
