# Corpus script for Kite's POSIX shell (issue 14): test's integer
# comparisons, the numbers it accepts and its status 2 for the others.
# Runs in a fresh temporary directory; dash is the oracle.
t() { test "$@" 2>/dev/null; echo "$?"; }
t 3 -gt 2; t 2 -gt 3; t 2 -ge 2; t 2 -le 1; t 1 -lt 2; t 5 -ne 5
t -1 -lt 0; t +7 -eq 7; t 010 -eq 10; t " 4" -eq 4; t "4 " -eq 4
t 9223372036854775807 -gt 0; t -9223372036854775808 -lt 0
t 9223372036854775808 -gt 0
t abc -eq 1; t 1 -eq ""; t 0x10 -eq 16; t 1.5 -gt 1; t 1 -eq
t 1 -foo 2
t a \< b; t b \< a; t b \> a; t abc = abc; t abc != abd
