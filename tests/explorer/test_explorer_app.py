"""The explorer's widgets driven in Python as a planner would: set a control, click Run,
read what the widgets show; the numbers are those of ``mcsim compare`` on the saved
what-if, and saving refuses what it must."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import pytest

from simlib.cli.main import main
from simlib.defaults import Defaults
from simlib.explorer import Explorer
from simlib.formats.words import change

ROOT = Path(__file__).resolve().parents[2]
REPLICATIONS, SEED = 4, 20250825
FEW_DRAWS = Defaults(draws=3, replications_per_draw=2)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the project's scenarios folder (what-ifs are saved in it)."""
    copy = tmp_path / "project" / "scenarios"
    shutil.copytree(ROOT / "scenarios", copy)
    return copy


@pytest.fixture
def explorer(folder):
    made = Explorer(folder / "baseline.yaml", folder, REPLICATIONS, SEED, jobs=2,
                    draws=FEW_DRAWS)
    yield made
    made.close()


def choose(explorer: Explorer, path: str, label: str) -> None:
    """Pick the option ``label`` of the dropdown of lever ``path``."""
    control = explorer.controls[path]
    control.value = dict(control.options)[label]


def cells(html: str, kind: str) -> dict[str, float]:
    """``data-value`` of each ``td.mcsim-<kind>`` by its pathway."""
    pattern = rf'class="mcsim-{kind}" data-value="([^"]+)" data-pathway="([^"]+)"'
    return {pathway: float(value) for value, pathway in re.findall(pattern, html)}


def compare_json(capsys, base: Path, whatif: Path) -> dict:
    capsys.readouterr()
    assert main(["compare", str(base), str(whatif), "--replications", str(REPLICATIONS),
                 "--seed", str(SEED), "--format", "json", "--jobs", "1"]) == 0
    return json.loads(capsys.readouterr().out)


def run(explorer: Explorer) -> None:
    explorer.run_button.click()
    explorer.wait(120)
    assert explorer.status.value.startswith("Done"), explorer.status.value


def test_a_run_shows_what_mcsim_compare_gives_for_the_saved_whatif(explorer, folder, capsys):
    choose(explorer, "bodies.mc.meets", "every week")
    assert "bodies.mc.meets.every_weeks: 2 -&gt; 1" in explorer.change_list.value
    run(explorer)
    shown = cells(explorer.differences.value, "difference")
    explorer.save_name.value = "mc-weekly-explored"
    saved = explorer.save()
    assert saved == folder / "mc-weekly-explored.yaml"
    assert "mcsim compare" in explorer.save_message.value
    cli = compare_json(capsys, folder / "baseline.yaml", saved)
    rows = cli["alternatives"]["mc-weekly-explored"]["pathways"]
    assert shown == {pathway: row["mean_diff_days"] for pathway, row in rows.items()}
    text = explorer.differences.value
    for row in rows.values():
        assert change(row["mean_diff_days"], *row["ci95"]) in text
    faculty = cli["alternatives"]["mc-weekly-explored"]["hours"]["faculty_per_year"]["change"]
    assert f'data-value="{faculty!r}"' in explorer.hours.value
    # the range over what we don't know came after the first answer, and the figure too
    assert re.search(r'class="mcsim-range" data-pathway="credit">[^<]*day', text)
    assert bytes(explorer.breakdown.value).startswith(b"\x89PNG")
    # and the same numbers as the shipped what-if of the same change
    shipped = compare_json(capsys, folder / "baseline.yaml", folder / "mc-weekly.yaml")
    assert {pathway: row["mean_diff_days"] for pathway, row
            in shipped["alternatives"]["mc-weekly"]["pathways"].items()} == shown
    # the downloads: the what-if file and the results
    links = explorer.downloads.value
    assert 'download="mc-weekly-explored.yaml"' in links and "-results.csv" in links
    csv = base64.b64decode(re.search(r'text/csv;base64,([^"]+)"', links).group(1)).decode()
    assert csv.splitlines()[0] == "baseline,alternative,section,name,metric,value"
    yaml_text = base64.b64decode(re.search(r'text/yaml;base64,([^"]+)"', links)
                                 .group(1)).decode()
    assert "extends: baseline.yaml" in yaml_text and "bodies.mc.meets.every_weeks: 1" in yaml_text
    assert yaml_text == saved.read_text()


def test_saving_refuses_traversal_an_existing_file_and_the_base(explorer, folder):
    choose(explorer, "bodies.mc.meets", "every week")
    before = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    for name in ("../outside", "a/b", "..", "Baseline", ""):
        explorer.save_name.value = name
        assert explorer.save() is None, name
        assert "mcsim-error" in explorer.save_message.value
    assert not (folder.parent / "outside.yaml").exists()
    explorer.save_name.value = "mc-weekly"  # a shipped what-if
    assert explorer.save() is None and "exists" in explorer.save_message.value
    explorer.save_name.value = "baseline"
    explorer.replace.value = True
    assert explorer.save() is None  # never over the base it extends, even when asked
    explorer.replace.value = False
    after = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    assert after == before


def test_saving_replaces_only_when_asked(explorer, folder):
    explorer.save_name.value = "replace-me"
    assert explorer.save() == folder / "replace-me.yaml"
    choose(explorer, "bodies.mc.meets", "every 3 weeks")
    assert explorer.save() is None
    explorer.replace.value = True
    try:
        assert explorer.save() == folder / "replace-me.yaml"
    finally:
        explorer.replace.value = False
    assert "every_weeks: 3" in (folder / "replace-me.yaml").read_text()


def test_an_invalid_value_is_shown_beside_its_control_and_blocks_run(explorer, folder):
    explorer.controls["bodies.dean.staff"].value = 2
    run(explorer)
    shown = explorer.differences.value
    explorer.controls["bodies.mc.table_p"].value = 1.0
    message = explorer.messages["bodies.mc.table_p"].value
    assert "table_p: 1 defers every item for ever" in message
    assert explorer.run_button.disabled
    explorer.save_name.value = "invalid-one"
    assert explorer.save() is None and not (folder / "invalid-one.yaml").exists()
    explorer.controls["bodies.mc.table_p"].value = 0.0
    assert not explorer.run_button.disabled and not explorer.messages[
        "bodies.mc.table_p"].value
    assert explorer.differences.value == shown  # the last answer stays until the next run


def test_cancel_keeps_the_last_answer(explorer):
    run(explorer)
    shown = explorer.differences.value
    explorer.controls["bodies.owd.staff"].value = 3
    explorer.replications.value = 200
    try:
        explorer.run_button.click()
        explorer.cancel_button.click()
        explorer.wait(120)
    finally:
        explorer.replications.value = REPLICATIONS
        explorer.controls["bodies.owd.staff"].value = 1
    assert explorer.status.value.startswith("Cancelled")
    assert explorer.differences.value == shown and not explorer.run_button.disabled


def test_a_base_that_does_not_load_keeps_the_current_one(explorer, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nbodies: {}\n")
    levers_before = explorer.levers
    explorer.base_choice.value = str(broken)
    explorer.load_button.click()
    assert "broken.yaml" in explorer.load_message.value and explorer.levers is levers_before
