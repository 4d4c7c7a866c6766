"""The explorer's web page in headless Chromium: serve it with ``mcsim explore``, open it
with Playwright, move a control, press Run and read the answer, the way a planner would.

Shared by the browser test (``tests/explorer/test_browser.py``, through
``tests/support/browser.py``), ``make bench`` (``bench_runner.py``, figure 12) and the
manual's screenshot (``explorer_screenshot.py``). Uses Debian's Chromium on the PATH
(``apt-get install chromium``), never a browser Playwright downloads.

Every request the page makes to a host other than 127.0.0.1 is refused and recorded in
:attr:`ExplorerPage.outside`: the page must work offline.

    with serve() as address, browser() as chromium:
        page = ExplorerPage.open(chromium, address)
        page.choose("bodies.mc.meets", "every week")
        page.run()
        page.wait_first_answer()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SERVER_START = 60.0  # seconds: mcsim explore prints the address once Voila listens
RENDER = 90.0  # seconds: the kernel starts and the notebook runs
ANSWER = 120.0  # seconds: a Run's first answer, and its end
WIDTH, HEIGHT = 1000, 900  # the browser window, pixels


def chromium_path() -> str | None:
    """Debian's Chromium on the PATH, or None."""
    return shutil.which("chromium")


def _serving_environment() -> dict[str, str]:
    """This environment with this checkout first on the kernel's import path."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), environment.get("PYTHONPATH", "")]))
    return environment


@contextlib.contextmanager
def serve(port: int | None = None) -> Iterator[str]:
    """Run ``mcsim explore`` (at ``port``, else a free one) in its own process group and
    yield the page's address once it serves; the group (Voila and its kernels) is stopped
    on the way out, whatever happened."""
    command = [sys.executable, "-m", "simlib.cli.main", "explore",
               *(["--port", str(port)] if port else [])]
    with tempfile.TemporaryFile("w+") as messages:  # a file: a full pipe would stall Voila
        server = subprocess.Popen(command, cwd=ROOT, env=_serving_environment(),
                                  stdout=subprocess.PIPE, stderr=messages, text=True,
                                  start_new_session=True)
        try:
            yield _address(server, messages)
        finally:
            _stop_group(server)


def _address(server: subprocess.Popen, messages: object) -> str:
    """The address ``mcsim explore`` prints (its first line on stdout; it prints it once
    Voila listens, or exits with one line on stderr)."""
    line = server.stdout.readline().strip()
    if not line.startswith("http"):
        server.wait(SERVER_START)
        messages.seek(0)
        raise RuntimeError(f"mcsim explore did not serve: {messages.read().strip()[-500:]}")
    return line


def _stop_group(server: subprocess.Popen) -> None:
    """Stop ``server``'s process group: politely, then by force."""
    for stop, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, stop)
        try:
            server.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    server.stdout.close()


@contextlib.contextmanager
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (a ``Browser``); closed on the way
    out. Raises RuntimeError when Chromium is not on the PATH."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium not found on the PATH; apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class ExplorerPage:
    """The explorer's page open in a browser tab (``page``: Playwright's ``Page``), with
    :attr:`outside`, every address the page asked for on another host (each refused)."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.outside: list[str] = []
        page.route("**/*", self._only_local)

    @classmethod
    def open(cls, chromium: object, address: str) -> ExplorerPage:
        """Open ``address`` in a new tab of ``chromium`` and wait until the explorer is
        drawn (its Run button shows)."""
        found = cls(chromium.new_page(viewport={"width": WIDTH, "height": HEIGHT}))
        found.page.goto(address, timeout=RENDER * 1000)
        found.wait_rendered()
        return found

    def _only_local(self, route: object) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def wait_rendered(self) -> None:
        """Wait until the explorer's Run button shows (the kernel ran the notebook)."""
        self.page.locator(".mcsim-run").wait_for(state="visible", timeout=RENDER * 1000)

    def set_replications(self, count: int) -> None:
        """Type ``count`` into Replications (the widget takes it when the field is left)."""
        field = self.page.locator(".mcsim-replications input")
        field.fill(str(count))
        field.press("Tab")

    def _lever(self, path: str) -> object:
        """The control of the lever at ``path`` (dotted), a Locator."""
        return self.page.locator(f".mcsim-lever-{path.replace('.', '-')}")

    def _section_header(self, path: str) -> object:
        """The title bar of the section (of the accordion) holding the lever at ``path``."""
        section = self.page.locator(".jupyter-widget-Collapse", has=self._lever(path))
        return section.locator(".jupyter-widget-Collapse-header")

    def choose(self, path: str, label: str) -> None:
        """Choose ``label`` in the lever at ``path`` (dotted), opening its section first."""
        control = self._lever(path).locator("select")
        if not control.is_visible():
            self._section_header(path).click()
        control.select_option(label=label)

    def close_section(self, path: str) -> None:
        """Close the section holding the lever at ``path``, when it is open."""
        if self._lever(path).is_visible():
            self._section_header(path).click()
            self._lever(path).wait_for(state="hidden")

    def run(self) -> None:
        """Press Run once the what-if has been checked (the button is enabled)."""
        button = self.page.locator("button.mcsim-run")
        self.page.wait_for_function("b => !b.disabled", arg=button.element_handle(),
                                    timeout=ANSWER * 1000)
        button.click()

    def status(self) -> str:
        """The status line's text."""
        return self.page.locator(".mcsim-status").inner_text()

    def wait_first_answer(self) -> None:
        """Wait for the first answer: the credit pathway's difference in the results."""
        self.difference_cell("credit").wait_for(state="attached", timeout=ANSWER * 1000)

    def wait_done(self) -> None:
        """Wait until the status says the run is done (the range over the draws in)."""
        self.page.locator(".mcsim-status", has_text="Done:").wait_for(timeout=ANSWER * 1000)

    def difference_cell(self, pathway: str) -> object:
        """The results' cell of the paired mean difference for ``pathway`` (a Locator)."""
        return self.page.locator(f".mcsim-results td.mcsim-difference[data-pathway={pathway}]")

    def difference(self, pathway: str) -> tuple[float, str]:
        """(the paired mean difference in days, exactly as the page holds it; its words)."""
        cell = self.difference_cell(pathway)
        return float(cell.get_attribute("data-value")), cell.inner_text().strip()


def time_to_render(chromium: object, address: str) -> tuple[float, ExplorerPage]:
    """(seconds from asking for the page to the explorer drawn, the page)."""
    began = time.perf_counter()
    found = ExplorerPage.open(chromium, address)
    return time.perf_counter() - began, found
