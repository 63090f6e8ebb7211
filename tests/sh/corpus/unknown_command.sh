# Corpus script for Kite's POSIX shell (issue 14): unknown command.
# Runs in a fresh temporary directory; dash is the oracle.
no_such_command_xyz 2>/dev/null; echo $?
