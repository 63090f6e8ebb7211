# Corpus script for Kite's POSIX shell (issue 14): cd searches CDPATH for a
# relative directory and prints where it went when a CDPATH entry found
# it; an empty entry is the current directory; ./dir is not searched.
# Runs in a fresh temporary directory; dash is the oracle.
base=$(pwd -P)
mkdir -p a/x b/y y
strip() { echo "${1#"$base"}"; }
CDPATH="$base/a:$base/b"
strip "$(cd x)"
strip "$(cd y)"
strip "$(cd ./y; pwd)"
CDPATH=":$base/b"
strip "$(cd y)" ; echo "printed: $(cd y | wc -l)"
CDPATH="$base/nowhere"
strip "$(cd y; pwd)"
CDPATH="$base/a/"
strip "$(cd x)"
cd zzz 2>/dev/null; echo "$?"
CDPATH=; cd ""; echo "$?"; strip "$PWD"
cd -x 2>/dev/null; echo "$?"
