"""Line and word diffs and the three-way merge: results, and bounded time on pathological input."""

import pytest

from bench.pathological_diffs import Timer, cases
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


def test_adjacent_line_changes_conflict_as_diff3_does():
    assert diffs.merge3(BASE, "ONE\ntwo\nthree\nfour\nfive", "one\nTWO\nthree\nfour\nfive") is None


def test_changes_far_apart_in_a_long_text_merge():
    base = "\n".join(f"line {i}" for i in range(2000))
    mine = base.replace("line 10\n", "line ten\n")
    theirs = base.replace("line 1990\n", "line nineteen-ninety\n")
    merged = diffs.merge3(base, mine, theirs)
    assert merged is not None and "line ten\n" in merged and "line nineteen-ninety\n" in merged


def test_diff_rows_keep_two_lines_of_context_and_number_lines():
    old = "\n".join(f"l{i}" for i in range(20))
    new = old.replace("l10", "L10")
    rows = diffs.diff_rows(old, new)
    assert [r.kind for r in rows] == ["lineno", "context", "context", "change", "context", "context"]
    assert (rows[0].left_no, rows[0].right_no) == (9, 9)
    assert rows[3].left == '<del class="diffchange diffchange-inline">l10</del>'


def test_word_marks_beyond_the_complexity_limit_mark_the_changed_middle_whole(monkeypatch):
    def left(old, new):
        return [r for r in diffs.diff_rows(old, new) if r.kind == "change"][0].left

    assert left("keep a b c keep", "keep x b z keep").count("<del") == 2
    monkeypatch.setattr(diffs, "MAX_WORD_COMPLEXITY", 4)
    assert left("keep a b c keep", "keep x b z keep") == (
        'keep <del class="diffchange diffchange-inline">a b c</del> keep'
    )


@pytest.mark.parametrize("case", list(cases()))
def test_pathological_inputs_diff_and_merge_within_a_second(case):
    old, new, theirs = cases()[case]
    with Timer() as diff_time:
        rows = diffs.diff_rows(old, new)
    assert rows and diff_time.within_bar(), (case, str(diff_time))
    with Timer() as merge_time:
        merged = diffs.merge3(old, new, theirs)
    assert merge_time.within_bar(), (case, str(merge_time))
    # A bounded merge is still a merge: either both sides' text, or an explicit conflict.
    assert merged is None or isinstance(merged, str)
    # One side unchanged: the other side, at once, whatever its size.
    assert diffs.merge3(old, old, new) == new


def test_a_timed_out_alignment_is_still_a_correct_diff():
    old, new, _ = cases()["reordered paragraphs"]
    ops = diffs.align(old.split("\n"), new.split("\n"), timeout=0.01)
    a, b = old.split("\n"), new.split("\n")
    rebuilt = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt.extend(b[j1:j2])
    assert rebuilt == b
