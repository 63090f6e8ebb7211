# Corpus script for Kite's POSIX shell (issue 14): a pipeline whose pipe()
# fails (ulimit -n leaves no two descriptors free) is an error that exits
# a non-interactive shell with status 2, and leaves no descriptor of the
# commands started open: under command eval (which keeps the shell going)
# the next pipeline still finds its two descriptors. Each case in a
# subshell. Runs in a fresh temporary directory; dash is the oracle.
(ulimit -n 4; echo a | cat; echo not reached) 2>/dev/null
echo "first pipe: $?"
(ulimit -n 5; echo a | cat | cat; echo not reached) 2>/dev/null
echo "second pipe: $?"
(ulimit -n 5; echo a | cat | cat & wait; echo not reached) 2>/dev/null
echo "background: $?"
(
    ulimit -n 5
    command eval 'echo a | cat | cat'
    echo "command eval: $?"
    echo b | cat
    echo "next pipeline: $?"
) 2>/dev/null
echo "subshell: $?"
