# Corpus script for Kite's POSIX shell (issue 14): cd follows symbolic
# links logically (.. undoes the link) unless -P; PWD and OLDPWD.
# Runs in a fresh temporary directory; dash is the oracle.
base=$(pwd -P)
mkdir -p real/sub other
ln -s real link
show() { echo "${PWD#"$base"} ${OLDPWD#"$base"}"; }
cd "$base/link/sub"; show
cd ..; show
cd ../other; show
cd "$base/link/sub/../.."; show
cd -P "$base/link"; show
cd "$base"; cd -P link/sub; show
cd ..; show
cd "$base"; cd -L -P link; show
cd "$base"; cd -P -L link; show
cd "$base"; cd link/../link/./sub/; show
cd "$base"; cd nowhere/..; echo "$?"; show
cd "$base"; cd link; cd ../../nowhere 2>/dev/null; echo "$?"; show
