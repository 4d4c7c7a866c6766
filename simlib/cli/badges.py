"""``mcsim badges``: Credly bulk-issue files (see :mod:`simlib.policy.badges`, and
:mod:`simlib.policy.badge_files` for the file format).

- ``template --out FILE.csv``: the empty template (header row only);
- ``validate FILE.csv|FILE.xlsx``: every problem Credly's upload would refuse that can be
  checked offline, with its spreadsheet row, column and fix; exit status 0 valid, 1 invalid,
  2 unreadable;
- ``build --roster ROSTER.csv --template-id ID --issued-at DATE --out FILE.csv``: a ready
  upload file from a class roster; exit status 2 (and nothing written) for a bad roster: one
  line on stderr (with the problem itself when there is one), the table of several problems
  on stdout. ``--badges RECORD --badge NAME`` instead of ``--template-id`` takes the ID from
  the office's record of published badges (:mod:`simlib.policy.badge_record`) and refuses,
  in one line and before the roster is read, a badge whose template is not active.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from simlib.cli.options import BAD_INPUT, add_format_option, print_result
from simlib.errors import CommandError
from simlib.formats.files import checked_output
from simlib.formats.printable import quoted
from simlib.policy import badge_files, badge_record, badges
from simlib.reports.console import problems_table, roster_message, validation_text


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim badges`` and its subcommands to the subcommands."""
    parser = commands.add_parser("badges", help="Credly bulk-issue files: template, "
                                 "validate, build")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    template = actions.add_parser("template", help="write an empty bulk-issue template")
    _add_out_option(template)
    template.set_defaults(handler=command_template)
    validate = actions.add_parser("validate", help="check a bulk-issue file before upload")
    validate.add_argument("file", metavar="FILE", help="upload file, .csv or .xlsx")
    add_format_option(validate)
    validate.set_defaults(handler=command_validate)
    build = actions.add_parser("build", help="make a ready upload file from a roster")
    build.add_argument("--roster", required=True, metavar="ROSTER.csv",
                       help="CSV (or .xlsx) with columns email, first_name, last_name and "
                       "optionally middle_name, earner_id")
    source = build.add_mutually_exclusive_group(required=True)
    source.add_argument("--template-id", type=template_id, metavar="ID",
                        help="the Badge Template ID from Credly (Developers > Template IDs)")
    source.add_argument("--badges", metavar="RECORD",
                        help="the office's record of published badges (.csv, .xlsx or .yaml "
                        "with name, template_id, status), with --badge NAME: the ID is taken "
                        "from it, and a template that is not active is refused")
    build.add_argument("--badge", metavar="NAME", help="the badge's name in the --badges record")
    build.add_argument("--issued-at", required=True, type=issued_at, metavar="DATE",
                       help="issue date, YYYY-MM-DD or mm/dd/yy")
    _add_out_option(build)
    build.set_defaults(handler=command_build)


def _add_out_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write")
    parser.add_argument("--force", action="store_true", help="replace FILE.csv if it exists")


def template_id(text: str) -> str:
    """An argparse type: a non-blank Badge Template ID, trimmed."""
    text = text.strip()
    if not text or text.startswith(badge_files.FORMULA_STARTS):
        raise argparse.ArgumentTypeError(f"{text!r} is not a Badge Template ID; copy it from "
                                         "Credly (Developers > Template IDs)")
    return text


def issued_at(text: str):
    """An argparse type: a date as YYYY-MM-DD or mm/dd/yy."""
    try:
        return badge_files.issue_date(text)
    except badge_files.DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _output(args: argparse.Namespace, inputs: Sequence[Path] = ()) -> Path:
    """The --out path, if it may be written: a .csv that is none of ``inputs``, not a
    folder, pipe or device, and new unless --force (checked before anything is read)."""
    out = Path(args.out)
    if out.suffix.lower() != ".csv":
        raise CommandError(f"mcsim: --out {out}: does not end in .csv; Credly takes CSV files")
    checked_output(out, inputs, option="--out")
    if out.exists() and not args.force:
        raise CommandError(f"mcsim: {out} exists; use --force to replace it")
    return out


def command_template(args: argparse.Namespace) -> int:
    """``mcsim badges template``: write the header row."""
    out = _output(args)
    badge_files.write_upload(out, [])
    required = sum(column.required for column in badge_files.COLUMNS)
    print(f"wrote the Credly bulk-issue template to {out}: {len(badge_files.HEADER)} columns, "
          f"{required} required ({', '.join(badge_files.REQUIRED)})")
    return 0


def command_validate(args: argparse.Namespace) -> int:
    """``mcsim badges validate``: print the problems; exit status 0 valid, 1 invalid."""
    result = badges.validate_file(Path(args.file))
    print_result(args.format, result.to_dict, lambda: validation_text(args.file, result))
    return 0 if result.valid else 1


def command_build(args: argparse.Namespace) -> int:
    """``mcsim badges build``: write the upload file, or say what is wrong with the roster
    and exit with status 2: one problem in one line on stderr; several as a table on stdout
    and one line on stderr. A bad ``--badges`` record, an unknown ``--badge`` or a template
    that is not active: one line on stderr, status 2, the roster not read."""
    roster = Path(args.roster)
    record = Path(args.badges) if args.badges is not None else None
    out = _output(args, [roster, *([record] if record else [])])
    chosen, badge_name = _chosen_template(args, record)
    try:
        upload = badges.build_upload(roster, chosen, args.issued_at)
    except badges.RosterError as error:
        print(roster_message(roster, error.problems), file=sys.stderr)
        if len(error.problems) > 1:
            print(problems_table(error.problems))
        return BAD_INPUT
    badge_files.write_upload(out, upload.rows)
    count = len(upload.rows)
    badge = f"badge {quoted(badge_name)}, " if badge_name else ""
    lines = [f"wrote {count} badge{'s' * (count != 1)} to {out} ({badge}Badge Template ID "
             f"{chosen}, issued {args.issued_at:%m/%d/%y})"]
    if upload.neutralised:
        cells = ", ".join(f"row {row} {name}" for row, name in upload.neutralised)
        lines.append(f"prefixed with ' so that no spreadsheet runs them as formulas: {cells}")
    if upload.ignored:
        lines.append(f"ignored roster columns: {', '.join(upload.ignored)}")
    lines.append(f"check it with: mcsim badges validate {out}")
    print("\n".join(lines))
    return 0


def _chosen_template(args: argparse.Namespace, record: Path | None) -> tuple[str, str]:
    """(the Badge Template ID to build with, the badge's name or ""): ``--template-id``, or
    the ID of the ``--badge`` in the ``--badges`` record when its template is active (else
    :class:`InputError`, before the roster is read)."""
    if record is None:
        if args.badge is not None:
            raise CommandError("mcsim: argument --badge: goes with --badges RECORD, not "
                               "--template-id (see 'mcsim badges build --help')")
        return args.template_id, ""
    if args.badge is None:
        raise CommandError("mcsim: argument --badges: needs --badge NAME, the badge's name in "
                           "the record (see 'mcsim badges build --help')")
    badge = badge_record.issuable_badge(record, args.badge)
    return badge.template_id, badge.name
