# Corpus script for Kite's POSIX shell (issue 14): redirect readwrite.
# Runs in a fresh temporary directory; dash is the oracle.
echo hello > f; exec 3<> f; read x <&3; echo $x; exec 3>&-
