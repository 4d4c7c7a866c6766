"""mcsim check-proposal and simlib.policy.eligibility: every rule broken once, its boundaries, the
input errors (one line, exit 2), fuzzy name matching, the JSON shape and the examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simlib.cli.main import main
from simlib.policy.eligibility import (
    RULES,
    check_proposal,
    load_proposal,
    name_matches,
    rules_table,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROGRAMS = "# an example list\n\nData Analytics (MS)\n  Nursing (BS)\n# Pottery (BFA)\n"


def courses(*credits: float) -> list[dict]:
    """Courses CS 101, CS 102... with these credits."""
    return [{"code": f"CS {101 + index}", "title": f"Course {index + 1}", "credits": value}
            for index, value in enumerate(credits)]


CREDIT = {
    "title": "Applied Visualization", "pathway": "credit", "level": "graduate",
    "courses": courses(3, 4), "semesters_to_complete": 2, "stacks_into": ["Data Analytics (MS)"],
    "assessments": ["critique"], "learner_work": ["dashboard"],
}
NONCREDIT = {
    "title": "Grant Writing", "pathway": "noncredit", "total_hours": 135,
    "assessments": "panel review", "learner_work": ["a grant proposal"],
}


def changed(base: dict, **changes: object) -> dict:
    """A copy of ``base`` with ``changes``; a change to None removes the key."""
    data = {**base, **changes}
    return {key: value for key, value in data.items() if value is not None}


def run(capsys, *argv: object) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``mcsim argv`` run in this process."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write(folder: Path, content: dict | str, name: str = "proposal.yaml") -> Path:
    path = folder / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return path


@pytest.fixture
def programs(tmp_path: Path) -> Path:
    return write(tmp_path, PROGRAMS, "programs.txt")


def verdicts(capsys, tmp_path: Path, data: dict, *options: object) -> tuple[int, dict]:
    """Exit status and ``{rule: (status, why)}`` of checking ``data`` (JSON output)."""
    status, out, err = run(capsys, "check-proposal", write(tmp_path, data), "--format", "json",
                           *options)
    assert err == ""
    return status, {row["rule"]: (row["status"], row["why"]) for row in json.loads(out)["rules"]}


BROKEN = [  # (base, changes, rule broken, its status, words of the why)
    (CREDIT, {"courses": courses(6)}, "two-courses", "fail", "1 course: needs at least 2"),
    (CREDIT, {"courses": courses(3, 2)}, "credit-range", "fail", "5 credits: below the minimum"),
    (CREDIT, {"courses": courses(9, 8)}, "credit-range", "fail", "17 credits: above the maximum"),
    (CREDIT, {"semesters_to_complete": 3}, "under-three-semesters", "fail",
     "3 semesters: a credit-bearing microcredential that takes three semesters"),
    (CREDIT, {"semesters_to_complete": None}, "under-three-semesters", "warning", "not given"),
    (CREDIT, {"stacks_into": []}, "stacks", "fail", "stacks_into is empty"),
    (CREDIT, {"assessments": None, "learner_work": ""}, "assessed-work", "warning",
     "assessments and learner_work not listed"),
    (NONCREDIT, {"total_hours": 40}, "substantial-hours", "fail", "continuing education"),
    (NONCREDIT, {"total_hours": None}, "substantial-hours", "fail", "total_hours not given"),
    (NONCREDIT, {"assessments": []}, "assessed-work", "fail", "assessments not listed"),
    (NONCREDIT, {"learner_work": None}, "assessed-work", "fail", "learner_work not listed"),
    (CREDIT, {"title": "Data Analytics Microcredential"}, "distinct-name", "fail",
     "resembles registered program 'Data Analytics (MS)'"),
    (NONCREDIT, {"title": "Nursing"}, "distinct-name", "fail", "'Nursing (BS)'"),
]


@pytest.mark.parametrize(("base", "changes", "rule", "status", "words"), BROKEN,
                         ids=[f"{case[2]}-{index}" for index, case in enumerate(BROKEN)])
def test_each_broken_rule_is_reported_with_its_numbers(
        capsys, tmp_path, programs, base, changes, rule, status, words):
    exit_status, found = verdicts(capsys, tmp_path, changed(base, **changes), "--programs",
                                  programs)
    assert found[rule][0] == status and words in found[rule][1], found[rule]
    others = {name: verdict for name, verdict in found.items() if name != rule}
    assert all(verdict[0] == "pass" for verdict in others.values()), others
    assert exit_status == (1 if status == "fail" else 0)


def test_the_corpus_breaks_every_rule():
    broken = {(base["pathway"], rule) for base, _, rule, _, _ in BROKEN}
    wanted = {(pathway, rule.rule_id) for rule in RULES
              for pathway in (("credit", "noncredit") if rule.pathway == "both"
                              else (rule.pathway,))}
    assert wanted <= broken


@pytest.mark.parametrize("base", [CREDIT, NONCREDIT], ids=["credit", "noncredit"])
def test_good_proposals_pass_every_rule(capsys, tmp_path, programs, base):
    status, found = verdicts(capsys, tmp_path, base, "--programs", programs)
    assert status == 0
    assert {verdict[0] for verdict in found.values()} == {"pass"}


@pytest.mark.parametrize(("base", "changes", "rule", "status"), [
    (CREDIT, {"courses": courses(3, 3)}, "credit-range", "pass"),
    (CREDIT, {"courses": courses(8, 8)}, "credit-range", "pass"),
    (CREDIT, {"courses": courses(9, 8)}, "credit-range", "fail"),
    (CREDIT, {"courses": courses(2.5, 3.5)}, "credit-range", "pass"),
    (NONCREDIT, {"total_hours": 127.5}, "substantial-hours", "pass"),
    (NONCREDIT, {"total_hours": 127.4}, "substantial-hours", "fail"),
    (CREDIT, {"semesters_to_complete": 2}, "under-three-semesters", "pass"),
    (CREDIT, {"semesters_to_complete": 3}, "under-three-semesters", "fail"),
    (CREDIT, {"courses": courses(3, 3, 3)}, "two-courses", "pass"),
])
def test_boundaries(capsys, tmp_path, base, changes, rule, status):
    exit_status, found = verdicts(capsys, tmp_path, changed(base, **changes))
    assert found[rule][0] == status, found[rule]
    assert exit_status == (1 if status == "fail" else 0)


def test_min_credits_8_fails_a_7_credit_proposal(capsys, tmp_path):
    assert verdicts(capsys, tmp_path, CREDIT)[1]["credit-range"] == (
        "pass", "2 courses, 7 credits: within 6 to 16")
    status, found = verdicts(capsys, tmp_path, CREDIT, "--min-credits", "8")
    assert status == 1
    assert found["credit-range"] == ("fail", "2 courses, 7 credits: below the minimum of 8")


def test_without_programs_the_name_rule_is_a_warning_saying_how_to_check(capsys, tmp_path):
    status, found = verdicts(capsys, tmp_path, changed(CREDIT, title="Data Analytics"))
    assert status == 0
    assert found["distinct-name"][0] == "warning"
    assert "not checked" in found["distinct-name"][1] and "--programs" in found["distinct-name"][1]


def test_fuzzy_matching_finds_near_names_and_spares_others():
    names = ("Data Analytics (MS)", "Advanced Certificate in Cybersecurity", "Nursing (BS)")
    near = name_matches("Data Analytic", names)[0]
    assert near.program == "Data Analytics (MS)" and near.resembles and near.similarity >= 0.9
    assert not any(match.resembles for match in name_matches("Introduction to Pottery", names))
    same = name_matches("Cybersecurity Microcredential", names)[0]
    assert same.program.endswith("Cybersecurity") and same.similarity == 1.0
    within = name_matches("Nursing Informatics", names)[0]
    assert within.contains and within.similarity < 0.8 and within.resembles
    assert not name_matches("Artful Living", ("Art (BA)",))[0].resembles  # words, not letters


def test_the_name_clash_shows_the_similar_name_and_the_score(capsys, tmp_path, programs):
    _, found = verdicts(capsys, tmp_path, changed(CREDIT, title="Data Analytic"),
                        "--programs", programs)
    assert found["distinct-name"] == (
        "fail", "resembles registered program 'Data Analytics (MS)' (similarity 0.96); "
        "rename it")


def test_json_shape(capsys, tmp_path):
    path = write(tmp_path, CREDIT)
    status, out, _ = run(capsys, "check-proposal", path, "--format", "json")
    result = json.loads(out)
    assert status == 0
    assert result["eligible"] is True and result["file"] == str(path)
    assert (result["title"], result["pathway"], result["level"]) == (
        "Applied Visualization", "credit", "graduate")
    assert [row["rule"] for row in result["rules"]] == [
        rule.rule_id for rule in RULES if rule.pathway in ("credit", "both")]
    assert all(set(row) == {"rule", "status", "why"} for row in result["rules"])


def test_table_lists_each_rule_and_the_verdict(capsys, tmp_path, programs):
    path = write(tmp_path, changed(CREDIT, stacks_into=[], semesters_to_complete=None))
    status, out, err = run(capsys, "check-proposal", path, "--programs", programs)
    assert status == 1 and err == ""
    assert out.startswith(f"Applied Visualization ({path})\ncredit-bearing, graduate; minimum 6")
    assert "\nfail     stacks " in out and "\nwarning  under-three-semesters " in out
    assert out.endswith("\n\nNot eligible: 1 rule fails (stacks) (1 warning).\n")


INPUT_ERRORS = [  # (file content, None: no file; the start of the one line after the path)
    (None, "file not found"),
    ("title: [Data\n", "line 2, column 1: YAML syntax error"),
    ("", "file is empty; a proposal needs at least title and pathway"),
    ("- title\n", "must be a mapping of keys (title: ..., pathway: ...)"),
    (changed(CREDIT, courses=[*courses(3), {"code": "CS 9", "title": "T", "credits": "three"}]),
     "courses[1].credits (CS 9): must be a number, got 'three'"),
    (changed(CREDIT, pathway="credt"), "pathway: must be one of 'credit' or 'noncredit'"),
    (changed(CREDIT, title=None), "title: required key is missing; add it"),
    (changed(CREDIT, courses="CS 101, CS 102"), "courses: must be a list"),
    (changed(CREDIT, courses=[{"code": "CS 1", "title": "T"}]),
     "courses[0].credits (CS 1): required on a credit-bearing proposal; add e.g. credits: 3"),
    (changed(CREDIT, courses=[{"code": "CS 1", "title": "T", "credit": 3}]),
     "courses[0].credit: unknown key; did you mean 'credits'?"),
    (changed(CREDIT, titel="X"), "titel: unknown key; did you mean 'title'?"),
    (changed(CREDIT, semesters_to_complete=2.5), "semesters_to_complete: must be a whole number"),
    (changed(NONCREDIT, total_hours=True), "total_hours: must be a number, got true (YAML "
     "reads yes/no as true/false)"),
    (changed(NONCREDIT, total_hours=float("inf")), "total_hours: must be a finite number"),
    (changed(NONCREDIT, total_hours=1e308), "total_hours: must be at most 100000 hours, got "
     "1e+308"),
    (changed(CREDIT, courses=courses(3, 1e308)),
     "courses[1].credits (CS 102): must be at most 100 credits, got 1e+308"),
    (changed(CREDIT, semesters_to_complete=10**40),
     "semesters_to_complete: must be at most 100 semesters, got 1e+40"),
    (changed(CREDIT, title="x" * 5000), "title: must be at most 300 characters, got 5000"),
    (changed(CREDIT, level="doctoral"), "level: must be one of 'undergraduate' or 'graduate'"),
    (changed(NONCREDIT, assessments=5), "assessments: must be text or a list of text, got 5"),
]


@pytest.mark.parametrize(("content", "start"), INPUT_ERRORS,
                         ids=[case[1].split(":")[0] for case in INPUT_ERRORS])
def test_unreadable_input_is_one_line_naming_the_place(capsys, tmp_path, content, start):
    path = tmp_path / "proposal.yaml" if content is None else write(tmp_path, content)
    status, out, err = run(capsys, "check-proposal", path)
    assert (status, out) == (2, "")
    assert err.startswith(f"{path}: {start}"), err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(("programs_text", "options", "start"), [
    (None, (), "{programs}: file not found; check the --programs path"),
    ("# only a comment\n\n", (), "{programs}: no program names in it"),
    ("Nursing (BS)\n" + "x" * 400 + "\n", (), "{programs}: line 2: more than 300 characters"),
    (PROGRAMS, ("--min-credits", "0"), "mcsim: argument --min-credits: must be a number"),
])
def test_bad_programs_list_or_option_is_one_line(capsys, tmp_path, programs_text, options, start):
    programs = tmp_path / "programs.txt"
    if programs_text is not None:
        programs.write_text(programs_text)
    status, _, err = run(capsys, "check-proposal", write(tmp_path, CREDIT), "--programs",
                         programs, *options)
    assert status == 2 and err.startswith(start.format(programs=programs)), err
    assert err.count("\n") == 1


@pytest.mark.parametrize(("name", "failing"), [
    ("credit-good.yaml", None), ("noncredit-good.yaml", None),
    ("credit-too-few-credits.yaml", "credit-range"),
    ("noncredit-too-short.yaml", "substantial-hours"),
    ("credit-name-clash.yaml", "distinct-name"),
])
def test_shipped_examples(capsys, name, failing):
    status, out, _ = run(capsys, "check-proposal", EXAMPLES / "proposals" / name,
                         "--programs", EXAMPLES / "programs.txt", "--format", "json")
    result = json.loads(out)
    assert status == (0 if failing is None else 1)
    assert [row["rule"] for row in result["rules"] if row["status"] != "pass"] == (
        [failing] if failing else [])


def test_every_shipped_example_is_listed_above():
    assert {path.name for path in (EXAMPLES / "proposals").glob("*.yaml")} == {
        "credit-good.yaml", "noncredit-good.yaml", "credit-too-few-credits.yaml",
        "noncredit-too-short.yaml", "credit-name-clash.yaml"}


def test_rules_table_lists_every_rule_with_its_source():
    table = rules_table()
    assert list(table.columns) == ["pathway", "rule", "requirement", "source"]
    assert len(table) == len(RULES)
    assert set(table["pathway"]) == {"credit-bearing", "non-credit", "both"}
    assert table["source"].str.startswith("Policy page, July 2025: ").all()


def test_checker_from_python(tmp_path):
    proposal = load_proposal(write(tmp_path, NONCREDIT))
    result = check_proposal(proposal, programs=("Grant Writing (Certificate)",))
    assert not result.eligible
    assert result.to_dict()["rules"][-1]["rule"] == "distinct-name"
    with pytest.raises(ValueError, match="min_credits"):
        check_proposal(proposal, min_credits=0)
