"""The reports as a browser shows them (``make screenshots``): a full-page screenshot of each
page in headless Chromium, and checks of the text of the page Chromium built (its DOM): no
table cut off with "...", no "-0", a bottom line, a link back to the index, and the
deadline planner's "today" the day its report was built.

    python benchmarks/screenshots.py [--reports reports] [--build] [--as-of YYYY-MM-DD]

Builds the reports first (``mcsim report --out REPORTS``) with ``--build`` or when
``REPORTS/index.html`` is missing. Screenshots go to ``REPORTS/screenshots/<page>.png``.
Uses Debian's Chromium (``apt-get install chromium``: /usr/bin/chromium), never a
downloaded browser. Prints one line per page; exit status 1 when a page has a problem, 2
when Chromium or the reports are missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from simlib.reports.build import page_problems

ROOT = Path(__file__).resolve().parents[1]
WIDTH, TALLEST = 1280, 16000  # pixels: the window is as tall as the longest page, then cropped
WINDOW = f"{WIDTH},{TALLEST}"
CHROMIUM_FLAGS = ["--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                  "--mute-audio", f"--window-size={WINDOW}"]


def chromium() -> list[str]:
    """The command line that starts headless Chromium (no sandbox as root, where Chromium
    refuses it); exits with status 2 when Chromium is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit("screenshots: chromium not found; install Debian's: apt-get install chromium")
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    return [found, *CHROMIUM_FLAGS, *sandbox]


def _browse(browser: list[str], *args: str) -> str:
    done = subprocess.run([*browser, *args], capture_output=True, text=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium {args[0]} failed: {done.stderr.strip()[-300:]}")
    return done.stdout


def crop_to_page(shot: Path) -> None:
    """Cut the empty window below the page's end off the screenshot ``shot`` (the rows at
    the bottom that are all the colour of its last row), so each picture is the whole page
    and nothing more."""
    from PIL import Image, ImageChops

    with Image.open(shot) as image:
        picture = image.convert("RGB")
    background = Image.new("RGB", picture.size, picture.getpixel((0, picture.height - 1)))
    box = ImageChops.difference(picture, background).getbbox()
    if box is not None and box[3] < picture.height:
        picture.crop((0, 0, picture.width, min(picture.height, box[3] + 24))).save(shot)


def build_day(reports: Path, stem: str) -> dt.date | None:
    """The day the report ``stem`` was built (papermill's end time), None when unknown."""
    executed = reports / f"{stem}.ipynb"
    if not executed.is_file():
        return None
    ended = nbformat.read(executed, as_version=4).metadata.get("papermill", {}).get("end_time")
    return dt.datetime.fromisoformat(ended).astimezone().date() if ended else None


def has_as_of(reports: Path, stem: str) -> bool:
    """Whether the executed notebook ``stem`` was given an ``as_of`` ("today")."""
    executed = reports / f"{stem}.ipynb"
    if not executed.is_file():
        return False
    notebook = nbformat.read(executed, as_version=4)
    return "as_of" in notebook.metadata.get("papermill", {}).get("parameters", {})


def check(reports: Path, shots: Path) -> int:
    """Screenshot and check every reader page and the index; the number of problems."""
    browser = chromium()
    shots.mkdir(parents=True, exist_ok=True)
    pages = [reports / "index.html",
             *sorted(path for path in reports.glob("[0-9]*.html")
                     if not path.stem.endswith("-code"))]
    count = 0
    for page in pages:
        url = page.resolve().as_uri()
        started = time.monotonic()
        _browse(browser, f"--screenshot={shots / (page.stem + '.png')}", url)
        crop_to_page(shots / (page.stem + ".png"))
        dom = _browse(browser, "--dump-dom", url)
        stem, index = page.stem, page.name == "index.html"
        dated = has_as_of(reports, stem)
        today = build_day(reports, stem) if dated else None
        problems = page_problems(dom, page.name, today=today, dated=dated, index=index)
        count += len(problems)
        state = "ok" if not problems else f"{len(problems)} problems"
        print(f"{page.name}: {state} ({time.monotonic() - started:.1f} s; screenshot "
              f"{shots / (page.stem + '.png')})")
        for problem in problems:
            print(f"  {problem}")
    print(f"{len(pages)} pages checked, {count} problems")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default=str(ROOT / "reports"), metavar="DIR")
    parser.add_argument("--build", action="store_true", help="run mcsim report first")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="passed to mcsim report")
    args = parser.parse_args(argv)
    reports = Path(args.reports)
    if args.build or not (reports / "index.html").is_file():
        command = [str(Path(sys.executable).with_name("mcsim")), "report", "--out",
                   str(reports.resolve())]
        if args.as_of:
            command += ["--as-of", args.as_of]
        started = time.monotonic()
        if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
            return 2
        print(f"mcsim report: {time.monotonic() - started:.0f} s")
    return 1 if check(reports, reports / "screenshots") else 0


if __name__ == "__main__":
    sys.exit(main())
