"""benchmarks/readme_examples.py (``make examples-check``) finds the examples of the README
and of every manual page, and runs each as the shell would (without running them here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def check() -> ModuleType:
    """The examples-check script, imported from its file (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "readme_examples", ROOT / "benchmarks" / "readme_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pages_are_the_readme_and_every_manual_page(check):
    names = [page.relative_to(ROOT).as_posix() for page in check.pages()]
    assert names[0] == "README.md"
    assert {"docs/getting-started.md", "docs/plan.md", "docs/records.md"} <= set(names)
    assert len(names) == 1 + len(list((ROOT / "docs").glob("*.md")))


def test_a_one_command_block_and_the_block_after_it_are_an_example(check):
    page = ("```sh\n.venv/bin/mcsim run a.yaml \\\n    --replications 2\n```\n\nprints:\n\n"
            "```\nline one\n```\n\n```sh\n.venv/bin/mcsim run a.yaml\n.venv/bin/mcsim run b.yaml"
            "\n```\n\n```\nnot checked: two commands\n```\n\n"
            "`mcsim validate b.yaml` prints (fast):\n\n```text\nok b\n```\n")
    assert check.examples(page) == [
        (".venv/bin/mcsim run a.yaml      --replications 2", "line one\n"),
        (".venv/bin/mcsim validate b.yaml", "ok b\n")]


def test_a_pattern_is_expanded_as_the_shell_would(check):
    words = check.expanded([".venv/bin/mcsim", "validate", "scenarios/*.yaml", "none/*.x"])
    assert words[:2] == [".venv/bin/mcsim", "validate"]
    assert words[2:-1] == sorted(path.relative_to(ROOT).as_posix()
                                 for path in (ROOT / "scenarios").glob("*.yaml"))
    assert words[-1] == "none/*.x"  # no match: kept as written


def test_a_file_moved_out_of_the_repository_is_named_as_the_page_wrote_it(check):
    words = [".venv/bin/mcsim", "badges", "build", "--out", "badges.csv"]
    moved = check.elsewhere(words, Path("/elsewhere"))
    assert moved[-1] == str(Path("/elsewhere") / "badges.csv")
    printed = f"wrote 5 badges to {moved[-1]}\ncheck it with: mcsim badges validate {moved[-1]}"
    assert check.as_written(printed, words, moved) == (
        "wrote 5 badges to badges.csv\ncheck it with: mcsim badges validate badges.csv")


def test_every_manual_page_with_commands_shows_at_least_one_checked_example(check):
    """A page that shows a single mcsim command with its output is re-run; the pages below
    are the ones whose answers are commands, so each must have a checked example."""
    for name in ("how-long", "faster", "staffing", "growth", "sensitivity", "plan",
                 "records", "unknowns", "policy", "getting-started"):
        assert check.examples((ROOT / "docs" / f"{name}.md").read_text()), name
