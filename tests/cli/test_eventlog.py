"""``mcsim eventlog --format events|history|csv|xes|ocel``: what each writes, what it says it
wrote, and what it refuses (one line, exit status 2, nothing written)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from simlib.cli.main import main
from simlib.engine.eventlog import COLUMNS
from tests.support.scenarios import SMALL_OFFICE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(SMALL_OFFICE)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_refused(status: int, err: str, *words: str) -> None:
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("mcsim: "), err
    for word in words:
        assert word in err, err


def test_history_of_the_example_office_is_the_shipped_record(capsys, tmp_path):
    out = tmp_path / "history.csv"
    status, said, err = run(capsys, "eventlog", ROOT / "examples" / "office-truth.yaml",
                            "--format", "history", "--out", out)
    assert status == 0 and err == ""
    assert out.read_bytes() == (ROOT / "examples" / "history.csv").read_bytes()
    assert "154 proposals" in said and "1004 rows" in said and "as of 2026-08-18" in said


def test_history_is_one_office_and_refuses_several_replications(capsys, scenario_file,
                                                                  tmp_path):
    out = tmp_path / "history.csv"
    status, _, err = run(capsys, "eventlog", scenario_file, "--format", "history",
                         "--replications", "3", "--out", out)
    assert_refused(status, err, "one replication", "--format csv, xes or ocel")
    assert not out.exists()
    status, said, _ = run(capsys, "eventlog", scenario_file, "--format", "history", "--out", out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["proposal", "pathway", "level", "step", "arrived",
                                   "decided", "decision"]
    assert frame["arrived"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    open_rows = frame[frame["decided"] == ""]
    assert (open_rows["decision"] == "").all()
    assert (frame["arrived"] <= "2025-03-04").all()  # as of the end of the 1-year horizon
    assert status == 0 and f"({len(frame)} rows, {len(open_rows)} open)" in said
    assert "as of 2025-03-04" in said


def test_events_stay_the_default(capsys, scenario_file, tmp_path):
    out = tmp_path / "events.csv"
    status, said, _ = run(capsys, "eventlog", scenario_file, "--out", out, "--jobs", "1")
    frame = pd.read_csv(out)
    assert status == 0 and list(frame.columns) == list(COLUMNS)
    assert said == f"wrote {len(frame)} events of 2 replications to {out}\n"


def test_csv_xes_and_ocel_say_what_they_wrote(capsys, scenario_file, tmp_path):
    files = {"csv": tmp_path / "visits.csv", "xes": tmp_path / "log.xes",
             "ocel": tmp_path / "log.json"}
    said = {}
    for format_, out in files.items():
        status, said[format_], err = run(capsys, "eventlog", scenario_file, "--format",
                                         format_, "--out", out, "--jobs", "1")
        assert status == 0 and err == "", err
    visits = pd.read_csv(files["csv"], dtype=str, keep_default_na=False)
    cases = visits["case_id"].nunique()
    assert set(visits["replication"]) == {"0", "1"}
    assert said["csv"] == (f"wrote {len(visits)} activity instances ({cases} proposals) of "
                           f"2 replications to {files['csv']}\n")
    root = ET.parse(files["xes"]).getroot()
    namespace = "{http://www.xes-standard.org/}"
    events = len(list(root.iter(f"{namespace}event")))
    assert f"wrote {events} events in {cases} traces ({len(visits)} visits)" in said["xes"]
    document = json.loads(files["ocel"].read_text())
    meetings = sum(item["type"] == "meeting" for item in document["objects"])
    assert meetings == len({(row.replication, row.meeting_id) for row in visits.itertuples()
                            if row.meeting_id})
    assert said["ocel"].startswith(f"wrote {len(document['events'])} events, {cases} "
                                   f"proposals and {meetings} meetings of 2 replications")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["tiny.yaml", "visits.csv", "log.xes", "log.json"])  # no temporary files left


@pytest.mark.parametrize(("format_", "name", "meant"), [
    ("xes", "log.csv", "csv"), ("csv", "log.xes", "xes"), ("events", "log.json", "ocel"),
    ("history", "log.xlsx", "ending in .csv"),
])
def test_an_out_file_of_another_format_is_refused(capsys, scenario_file, tmp_path, format_,
                                                  name, meant):
    status, _, err = run(capsys, "eventlog", scenario_file, "--format", format_, "--out",
                         tmp_path / name)
    assert_refused(status, err, meant if " " in meant else f"--format {meant}")
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("format_", ["history", "csv", "xes", "ocel"])
def test_no_format_overwrites_the_scenario(capsys, scenario_file, format_):
    before = scenario_file.read_bytes()
    renamed = scenario_file.with_suffix({"xes": ".xes", "ocel": ".json"}.get(format_, ".csv"))
    scenario_file.rename(renamed)
    status, _, err = run(capsys, "eventlog", renamed, "--format", format_, "--out", renamed,
                         "--replications", "1")
    assert_refused(status, err, "also an input")
    assert renamed.read_bytes() == before


def test_an_unknown_format_is_one_line(capsys, scenario_file, tmp_path):
    status, _, err = run(capsys, "eventlog", scenario_file, "--format", "parquet", "--out",
                         tmp_path / "x.parquet")
    assert_refused(status, err, "--format")
    assert re.search(r"events.*history.*csv.*xes.*ocel", err)
