# Corpus script for Kite's POSIX shell (issue 14): printf widths and precisions from * arguments, flags, missing arguments, format reuse.
# Runs in a fresh temporary directory; dash is the oracle.
printf '[%*d][%-*d][%.*s][%*s]\n' 5 1 4 2 2 abcdef -4 ab
printf '[%+d][% d][%-+5d][%+05d][%.3d][%8.3x]\n' 5 5 5 5 5 255
printf '[%#x][%#o][%#X][%-#8x]\n' 255 8 255 255
printf '[%.2f][%8.3f][%-8.1f][%+.0f][%e][%g][%G]\n' 3.14159 2.5 2.75 2.4 1234.5 0.0001 1e20
printf '%s=%d;' a 1 b 2 c; echo
printf '[%s][%d][%c]\n' | tr '\000' 0
printf '%%|%s\n' x y
