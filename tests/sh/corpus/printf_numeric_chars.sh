# Corpus script for Kite's POSIX shell (issue 14): printf numeric arguments: 'c and "c give the character's value, hex and octal, negatives as unsigned.
# Runs in a fresh temporary directory; dash is the oracle.
printf '%d %d %d %d\n' "'A" '"z' "'" ""
printf '%d %d %d %i\n' 0x1F 010 -0x10 " 12"
printf '%u %x %o %X\n' -1 -1 8 255
printf '%c%c%c|\n' hello w ""  | tr '\000' '0'
printf '%5d|%-5x|%05o|\n' "'a" "'b" 8
printf '%d %d\n' 9223372036854775807 -9223372036854775808
