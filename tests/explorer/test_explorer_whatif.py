"""The explorer's what-if file: its text loads back to what was asked, it is saved only
inside the scenarios folder and never half-written, and its results open safely in a
spreadsheet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simlib import answers
from simlib.errors import InputError
from simlib.explorer.whatif import results_csv, save_whatif, whatif_scenario, whatif_text
from simlib.scenario import load_scenario, what_changed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path) -> Path:
    copy = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", copy)
    return copy


def test_the_text_loads_to_the_changes_asked_for_whatever_the_title(folder):
    base = load_scenario(folder / "baseline.yaml")
    title = 'MC: "weekly" # not a comment\nsecond line: - [x]'
    text = whatif_text(base, folder, "weekly", title, {"bodies.mc.meets.every_weeks": 1,
                                                       "bodies.owd.staff": 2})
    loaded = whatif_scenario(text, folder, "weekly")
    assert loaded.title == title and loaded.name == "weekly"
    assert sorted(str(item) for item in what_changed(base, loaded)) == [
        "bodies.mc.meets.every_weeks: 2 -> 1", "bodies.owd.staff: 1 -> 2"]


def test_a_base_outside_the_folder_is_extended_by_its_relative_path(folder, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(folder / "baseline.yaml", elsewhere / "base.yaml")
    base = load_scenario(elsewhere / "base.yaml")
    text = whatif_text(base, folder, "far", "far", {"bodies.owd.staff": 3})
    assert "extends: ../elsewhere/base.yaml" in text
    path = save_whatif(text, folder, "far", base)
    assert load_scenario(path).bodies["owd"].staff == 3


def test_saving_stays_inside_the_folder(folder, tmp_path):
    base = load_scenario(folder / "baseline.yaml")
    text = whatif_text(base, folder, "ok", "ok", {"bodies.owd.staff": 2})
    outside = tmp_path / "outside.yaml"
    (folder / "leak.yaml").symlink_to(outside)
    for name in ("../x", "/etc/passwd", "x/../../y", "leak", "UPPER", "a" * 64):
        with pytest.raises(InputError) as refused:
            save_whatif(text, folder, name, base, replace=True)
        assert "\n" not in str(refused.value)
    assert not outside.exists()


def test_a_file_that_would_not_load_is_never_written_and_the_old_one_stays(folder):
    base = load_scenario(folder / "baseline.yaml")
    good = whatif_text(base, folder, "kept", "kept", {"bodies.owd.staff": 2})
    path = save_whatif(good, folder, "kept", base)
    bad = whatif_text(base, folder, "kept", "kept", {"bodies.owd.staff": 0})
    with pytest.raises(InputError, match="staff"):
        save_whatif(bad, folder, "kept", base, replace=True)
    assert path.read_text() == good
    assert sorted(item.name for item in folder.iterdir() if item.name.startswith(".")) == []


def test_results_csv_cannot_run_a_formula(folder, tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(f"extends: {folder / 'baseline.yaml'}\nname: '=HYPERLINK(\"x\")'\n"
                       "set: {replications: 2}\n")
    base = load_scenario(hostile)
    text = whatif_text(base, folder, "two", "two", {"bodies.owd.staff": 2})
    answer = answers.compare(base, [whatif_scenario(text, folder, "two")], 2, 1, jobs=1,
                             progress=False)
    csv = results_csv(answer)
    lines = csv.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(\"\"x\"\")\",two,")
    assert not any(cell.startswith(("=", "+", "@")) for line in lines
                   for cell in line.split(","))
