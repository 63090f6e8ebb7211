# Corpus script for Kite's POSIX shell (issue 14): pwd -L and -P, and pwd
# printing the shell's own idea of the directory, not a changed $PWD.
# Runs in a fresh temporary directory; dash is the oracle.
base=$(pwd -P)
mkdir -p real/sub
ln -s real link
strip() { echo "${1#"$base"}"; }
cd link/sub
strip "$(pwd)"; strip "$(pwd -L)"; strip "$(pwd -P)"
strip "$(pwd -LP)"; strip "$(pwd -PL)"
PWD=/nonexistent
strip "$(pwd)"
cd .
strip "$PWD"
pwd -x 2>/dev/null; echo "$?"
strip "$(cd -)"
strip "$(cd - > /dev/null; pwd)"
