# Corpus script for Kite's POSIX shell (issue 14): constants too large saturate,
# wrapping arithmetic, deep parentheses, a variable too large is an error.
echo $((99999999999999999999)) $((0xffffffffffffffff)) $((-9223372036854775808))
echo $((9223372036854775807 + 1)) $((-9223372036854775807 - 2))
echo $(( ((((((((((((((((((((((((((((((((((((((((1+2)))))))))))))))))))))))))))))))))))))))) ))
echo $(( - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - 5 ))
big=99999999999999999999
(echo $((big))); echo "status $?"
