"""Writing the user's files: a symbolic link is followed and kept, a written file can be
checked before it replaces anything, and an existing file of another kind is told apart
(a CSV record is not a YAML scenario) before it is replaced."""

from __future__ import annotations

import pytest

from simlib.errors import InputError
from simlib.formats.files import checked_output, content_kind, write_text_atomic


@pytest.mark.parametrize("head, kind", [
    (b"", "empty"), (b"  \n", "empty"),
    (b"# a comment\nextends: baseline.yaml\nset: {}\n", "yaml"),
    (b"---\nname: x\n", "yaml"),
    (b"proposal,pathway,level\nP1,credit,\"a, b\"\n", "csv"),
    (b"\xef\xbb\xbfemail,first_name\r\na@b.c,Ann\r\n", "csv"),
    (b'<?xml version="1.0"?>\n<log/>', "xml"), (b"<!DOCTYPE html><html>", "html"),
    (b'{"objectTypes": []}', "json"), (b"[\n  1\n]", "json"),
    (b"PK\x03\x04rest", "zip"), (b"\x00\x01\x02", "binary"),
    (b"just some words\nand more\n", "text"),
])
def test_the_kind_of_an_existing_file_is_told_from_its_first_bytes(head, kind):
    assert content_kind(head) == kind


def test_a_link_is_followed_and_kept(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text("name: old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    write_text_atomic(link, "name: new\n")
    assert link.is_symlink() and target.read_text() == "name: new\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.yaml", "real.yaml"]


def test_a_written_file_that_fails_its_check_replaces_nothing(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("name: kept\n")

    def refuse(written):
        assert written.read_text() == "name: [broken\n"
        raise InputError("does not load")

    with pytest.raises(InputError, match="does not load"):
        write_text_atomic(path, "name: [broken\n", check=refuse)
    assert path.read_text() == "name: kept\n"
    assert [item.name for item in tmp_path.iterdir()] == ["scenario.yaml"]


def test_a_file_of_another_kind_is_kept_unless_forced(tmp_path):
    record = tmp_path / "record.csv"
    record.write_text("proposal,pathway\nP1,credit\n")
    with pytest.raises(InputError, match=r"^mcsim: --out .*record.csv: exists and holds a "
                       r"CSV table, not a YAML file; give another file name, or add --force"):
        checked_output(record, kind="yaml")
    assert checked_output(record, kind="yaml", force=True) == record
    assert checked_output(record, kind="csv") == record
