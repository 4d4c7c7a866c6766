"""The manual's picture of the explorer (``docs/images/explorer.png``): the page
``mcsim explore`` serves, in headless Chromium, after choosing "every week" for the
Microcredential Committee and pressing Run, once the run is done (the range over the
draws in). Cropped to the page's top down to the hours table (the figure "where the time
goes" below it is left out), and saved with a palette of colours to stay small.

    .venv/bin/python benchmarks/explorer_screenshot.py [--out docs/images/explorer.png]

Needs Debian's Chromium on the PATH (apt-get install chromium); exit status 2 without it.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import explorer_page

ROOT = Path(__file__).resolve().parents[1]
PICTURE = ROOT / "docs" / "images" / "explorer.png"
TALL = 4000  # pixels: a window tall enough to hold the whole page, then cropped
COLOURS = 128  # the palette: text and flat colours need few
MARGIN = 8  # pixels kept below the hours table


def take(out: Path) -> int:
    """Serve the page, run "MC meets weekly", save the cropped picture at ``out``; its
    size in bytes."""
    from PIL import Image

    with explorer_page.serve() as address, explorer_page.browser() as chromium:
        page = explorer_page.ExplorerPage.open(chromium, address)
        page.page.set_viewport_size({"width": explorer_page.WIDTH, "height": TALL})
        page.choose("bodies.mc.meets", "every week")
        page.close_section("bodies.mc.meets")  # the list of changes says what moved
        page.run()
        page.wait_done()
        hours = page.page.locator(".mcsim-hours-box").bounding_box()
        figure = page.page.locator(".mcsim-breakdown").bounding_box()
        height = min(hours["y"] + hours["height"] + MARGIN, figure["y"])
        shot = page.page.screenshot(clip={"x": 0, "y": 0, "width": explorer_page.WIDTH,
                                          "height": height})
    picture = Image.open(io.BytesIO(shot)).convert("RGB").quantize(COLOURS)
    out.parent.mkdir(parents=True, exist_ok=True)
    picture.save(out, optimize=True)
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(PICTURE), metavar="PNG")
    args = parser.parse_args(argv)
    if explorer_page.chromium_path() is None:
        print("explorer_screenshot: chromium not found; install Debian's: apt-get install "
              "chromium", file=sys.stderr)
        return 2
    began = time.perf_counter()
    size = take(Path(args.out))
    shown = Path(args.out).resolve()
    shown = shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown
    print(f"{shown}  ({size / 1024:.0f} KB, {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
