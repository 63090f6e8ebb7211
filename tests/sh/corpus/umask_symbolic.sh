# Corpus script for Kite's POSIX shell (issue 14): umask's symbolic modes
# and -S, and what it refuses.
# Runs in a fresh temporary directory; dash is the oracle.
umask 022; umask -S
umask u=rwx,g=rx,o=; umask
umask 077; umask g+r,o+rx; umask
umask a=r; umask
umask 0; umask go-w; umask -S
umask 027; umask g=u; umask
umask 0111; umask u=X; umask
umask 022; umask u=X; umask
umask 0; umask =; umask -S
umask 022; umask +x; umask
umask 022; umask u=r=w; umask
umask 022; umask u=r,; umask
umask 022; umask ,; echo "$?"; umask
umask 022; umask u=t; echo "$?"; umask
umask 8; echo "$?"
umask 1234567; umask
umask -x; echo "$?"
umask -S 077; umask
umask -- 002; umask
