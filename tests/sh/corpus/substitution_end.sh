# Corpus script for Kite's POSIX shell (issue 14): a $(...) ends at the
# same ) when it is expanded as when it was parsed: a case pattern's ), a
# ) in a comment or a quoted one, a here-document's quote inside it.
echo $(case a in a) echo paren;; esac)
x=$(echo a # c )
); echo $x
x=$(cat <<'E'
a'b
E
); echo "$x"
echo "$(echo ')')" "${u:-$(case b in b) echo in-brace;; esac)}"
echo "$(case a in (a) echo q;; esac)"
y="$(echo "(" ; echo ")")"; echo "$y"
echo $( (echo sub) ) $((1+(2*3)))
