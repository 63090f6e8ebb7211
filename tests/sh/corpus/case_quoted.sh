# Corpus script for Kite's POSIX shell (issue 14): case quoted.
# Runs in a fresh temporary directory; dash is the oracle.
x="*"; case a in "$x") echo lit;; *) echo glob;; esac; case "*" in "$x") echo lit;; esac
