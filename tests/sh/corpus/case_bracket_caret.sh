# Corpus script for Kite's POSIX shell (issue 14): in a bracket expression only
# '!' negates; '^' is an ordinary character, as dash has it.
for w in a b ^ c; do
    case $w in
    [^a]) echo "$w: in [^a]" ;;
    *) echo "$w: not in [^a]" ;;
    esac
    case $w in
    [!a]) echo "$w: in [!a]" ;;
    esac
done
