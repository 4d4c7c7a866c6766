"""The repository's own documents hold together: the README and the manual's pages render
with every section, no tracked file points at a file the repository does not have, and none
names a path on one machine (a home folder, a scratch folder, a workspace outside the
clone)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import mistune
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOP = ("scenarios", "docs", "examples", "notebooks", "simlib", "tests", "benchmarks", ".ci")
FOLDERS = "|".join(re.escape(name) for name in TOP)
REFERENCE = re.compile(rf"(?<![\w./-])((?:\.\./)*(?:{FOLDERS})/[\w./*-]*\w)")
LINK = re.compile(r"\]\(([^)#\s]+)\)")
# a machine's own folders, written in pieces so that this file does not match itself
MACHINE = re.compile("(?<![\\w.])(" + "|".join(
    ["/" + "work/", "/" + "root/", "/" + "home/[a-z]", "/" + "Users/", "/" + "tmp/",
     "[A-Z]:" + r"\\\\"]) + ")")
# the README, the notebooks' README and every page of the manual (docs/, built by `make docs`)
MARKDOWN = ("README.md", "notebooks/README.md",
            *sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").glob("*.md")))


def tracked() -> list[Path]:
    """The text files git tracks (notebooks included: their sources and outputs)."""
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    found = []
    for name in names:
        path = ROOT / name
        try:
            path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        found.append(path)
    return found


def headings(text: str) -> list[str]:
    """The section headings (## and deeper) the author meant: lines outside code, where
    any line starting with a fence opens or closes one (as the author intended it, even
    with text after a closing fence, which Markdown does not close)."""
    found, fenced = [], False
    for line in text.splitlines():
        if re.match(r"^\s*```", line):
            fenced = not fenced
            continue
        if not fenced and re.match(r"^#{2,6} ", line):
            found.append(line.lstrip("#").strip())
    return found


def rendered_headings(text: str) -> list[str]:
    """The headings a Markdown parser finds (what a reader sees rendered)."""
    def words(token: dict) -> str:
        return token.get("raw", "") + "".join(map(words, token.get("children", [])))

    tokens = mistune.create_markdown(renderer="ast")(text)
    return [words(token) for token in tokens
            if token["type"] == "heading" and token["attrs"]["level"] >= 2]


@pytest.mark.parametrize("name", MARKDOWN)
def test_every_section_survives_rendering(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    written = headings(text)
    shown = rendered_headings(text)
    lost = [heading for heading in written
            if not any(re.sub(r"\W", "", heading) == re.sub(r"\W", "", seen)
                       for seen in shown)]
    assert not lost, f"{name}: these sections vanish when rendered (an unclosed fence?): {lost}"


def test_a_section_lost_in_a_code_block_is_caught():
    """The check itself: a closing fence with text after it swallows what follows."""
    broken = "## One\n\n```yaml\na: 1\n``` Then text\n\n## Two\n\nmore\n"
    assert headings(broken) == ["One", "Two"]
    assert rendered_headings(broken) == ["One"]


def _exists(source: Path, reference: str) -> bool:
    for base in (ROOT, source.parent, ROOT / "notebooks"):
        candidate = base / reference
        if "*" in reference:
            if any(base.glob(reference)):
                return True
        elif candidate.exists():
            return True
    return False


def test_no_tracked_file_points_at_a_missing_file():
    missing = []
    for path in tracked():
        text = path.read_text(encoding="utf-8")
        for match in REFERENCE.finditer(text):
            reference = match.group(1).rstrip(".")
            if not _exists(path, reference):
                missing.append(f"{path.relative_to(ROOT)}: {reference}")
        if path.suffix == ".md":
            for match in LINK.finditer(text):
                target = match.group(1)
                if not target.startswith(("http://", "https://", "mailto:")) and not (
                        path.parent / target).exists():
                    missing.append(f"{path.relative_to(ROOT)}: link {target}")
    assert not missing, "references to files the repository does not have:\n" + "\n".join(
        missing)


def test_no_tracked_file_names_a_machine_path():
    found = []
    for path in tracked():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MACHINE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "paths of one machine in tracked files:\n" + "\n".join(found)


def test_the_checks_see_what_they_look_for():
    assert MACHINE.search("see " + "/" + "work/main/README.md")
    assert MACHINE.search("cached in " + "/" + "tmp/x")
    assert not MACHINE.search("scenarios/baseline.yaml and tmp_path / 'x'")
    absent = "docs" + "/nothing-here.md"  # in pieces, so this file names no missing file
    assert REFERENCE.search(f"read `{absent}` first").group(1) == absent
    assert not _exists(ROOT / "README.md", absent)


def _table_rows(text: str) -> set[str]:
    """The names in the first column of a page's tables (``a``, `` `a`, `b` ``), header and
    rule rows included."""
    names = set()
    for line in text.splitlines():
        if line.startswith("|"):
            first = line.split("|")[1]
            names |= {name.strip(" `") for name in first.split(",")}
    return names


@pytest.mark.parametrize("name", ["README.md", "docs/scenarios.md", "docs/how-long.md"])
def test_the_what_if_tables_list_every_shipped_scenario(name):
    shipped = {path.stem for path in (ROOT / "scenarios").glob("*.yaml")} - {"baseline"}
    missing = shipped - _table_rows((ROOT / name).read_text(encoding="utf-8"))
    assert not missing, f"{name}: the table of what-ifs lacks {sorted(missing)}"
