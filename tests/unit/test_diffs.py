from wiki import diffs

BASE = "one\ntwo\nthree\nfour\nfive"


def test_non_overlapping_changes_merge():
    mine = "ONE\ntwo\nthree\nfour\nfive"
    theirs = "one\ntwo\nthree\nfour\nFIVE"
    assert diffs.merge3(BASE, mine, theirs) == "ONE\ntwo\nthree\nfour\nFIVE"


def test_overlapping_changes_conflict():
    assert diffs.merge3(BASE, "uno\ntwo\nthree\nfour\nfive", "eins\ntwo\nthree\nfour\nfive") is None


def test_identical_changes_merge():
    same = "one\n2\nthree\nfour\nfive"
    assert diffs.merge3(BASE, same, same) == same


def test_insertions_at_same_point_conflict():
    assert diffs.merge3(BASE, BASE + "\nsix", BASE + "\nseven") is None


def test_unchanged_side_takes_other():
    assert diffs.merge3(BASE, BASE, "x") == "x"
    assert diffs.merge3(BASE, "y", BASE) == "y"


def test_word_diff_marks_changed_words():
    rows = diffs.diff_rows("the quick fox", "the slow fox")
    change = [r for r in rows if r.kind == "change"][0]
    assert '<del class="diffchange diffchange-inline">quick</del>' in change.left
    assert '<ins class="diffchange diffchange-inline">slow</ins>' in change.right


def test_diff_escapes_html():
    rows = diffs.diff_rows("<b>", "<script>")
    assert "<script>" not in "".join(r.left + r.right for r in rows)
