"""Text from the user's files as the tool shows it: control characters, line breaks and
the marks that reorder text escaped; long text cut with a count; lists of names capped."""

from __future__ import annotations

import pytest

from simlib.formats.printable import cut, listed, printable, printable_data, printable_lines, quoted


@pytest.mark.parametrize("text, shown", [
    ("dean", "dean"), ("a\nb", "a\\nb"), ("a\r\tb", "a\\r\\tb"), ("\x1b[31mred", "\\x1b[31mred"),
    ("\x00\x7f\x85", "\\x00\\x7f\\x85"), ("left\u202eright", "left\\u202eright"),
    ("line\u2028sep", "line\\u2028sep"), ("ünï 科学 🙂", "ünï 科学 🙂"), ("\ud800", "\\ud800"),
])
def test_unsafe_characters_are_escaped_and_others_kept(text, shown):
    assert printable(text) == shown
    assert quoted(text) == f"'{shown}'"


def test_long_text_is_cut_with_a_count():
    assert printable("x" * 100, 10) == "xxxxxxxxxx... (90 more characters)"
    assert cut("x" * 11, 10) == "xxxxxxxxxx... (1 more character)"
    assert printable("x" * 100, None) == "x" * 100


def test_a_list_of_names_is_capped_with_how_many_were_left_out():
    shown = listed([f"column {n}" for n in range(2000)], limit=100)
    assert shown.endswith(", column 9, ... and 1,990 more") and len(shown) < 140
    assert listed(["a\nb", "c"]) == "a\\nb, c"


def test_lines_the_tool_wrote_keep_their_breaks_and_lose_the_rest():
    assert printable_lines("one\x1b[2J\ntwo\r") == "one\\x1b[2J\ntwo\\r"


def test_an_answers_data_is_made_printable_keys_and_all():
    assert printable_data({"a\nb": ["c\x1b", 1, None], "d": ("e\n",)}) == {
        "a\\nb": ["c\\x1b", 1, None], "d": ("e\\n",)}
