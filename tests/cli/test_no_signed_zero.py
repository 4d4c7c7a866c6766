"""No command's text shows a signed zero: a what-if that changes almost nothing gives tiny
negative differences, and ``mcsim compare`` reads them "0.0", never "-0.0" or "+0.0"."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from simlib.cli.main import main
from tests.support.scenarios import TINY

SIGNED_ZERO = re.compile(r"(?<![\w.])[-+\u2212]0(?:\.0+)?(?![\d.])")


def one_desk(tmp_path: Path) -> tuple[Path, Path]:
    """A one-desk office and a what-if whose desk reviews 0.3% faster (differences of
    hundredths of a day, all below zero under common random numbers)."""
    base = {key: value for key, value in TINY.items() if key not in ("bodies", "pathways")}
    base["bodies"] = {"desk": TINY["bodies"]["desk"]}
    base["pathways"] = {"p": [{"body": "desk", "sla_days": 10}]}
    base_file, alt_file = tmp_path / "base.yaml", tmp_path / "alt.yaml"
    base_file.write_text(yaml.safe_dump(base))
    alt_file.write_text(yaml.safe_dump({"extends": "base.yaml", "name": "alt",
                                        "set": {"bodies.desk.review_days.mean": 2.99}}))
    return base_file, alt_file


def test_the_signed_zero_pattern_finds_what_it_should():
    assert SIGNED_ZERO.findall("-0.0  [-0.0, -0.1]  +0.0 points  -0%") == [
        "-0.0", "-0.0", "+0.0", "-0"]
    assert not SIGNED_ZERO.findall("0.0  [-0.1, 0.0]  -0.05  2025-08-25  +12  -3  10-0")


def test_compare_text_has_no_signed_zero_for_a_tiny_negative_difference(capsys, tmp_path):
    base, alt = one_desk(tmp_path)
    assert main(["compare", str(base), str(alt), "--replications", "4", "--jobs", "1",
                 "--format", "json"]) == 0
    row = yaml.safe_load(capsys.readouterr().out)["alternatives"]["alt"]["pathways"]["p"]
    assert -0.05 < row["mean_diff_days"] < 0 and -0.05 < row["ci95"][1] < 0  # the tiny case
    assert main(["compare", str(base), str(alt), "--replications", "4", "--jobs", "1"]) == 0
    text = capsys.readouterr().out
    assert "difference" in text and "P90 difference" in text
    assert SIGNED_ZERO.findall(text) == [], text
    table = text.split("verdict\n", 1)[1].splitlines()[0].split()
    assert table[4:7] == ["0.0", "[0.0,", "0.0]"]  # difference and its 95% CI
