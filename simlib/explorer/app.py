"""The explorer's widgets: choose a base scenario and a pathway, move the levers, press Run
and read the paired comparison with today's process; download or save the what-if.

:class:`Explorer` builds one control per :class:`~simlib.explorer.levers.Lever`, each with
today's value and its help text beside it, and a place for the one-line message of a value
the scenario refuses. Run asks the answer layer for the comparison (common random numbers)
in a background thread, so the page stays live: a progress bar, a Cancel button, and the
previous answer kept on screen until the new one replaces it. The first answer has the
differences and the change in hours; the range over what we don't know follows when the
runs at the posterior draws are in (:func:`simlib.answers.with_range`), and "where the
time goes" beside it. Every widget has a stable CSS class (``mcsim-...``) for the browser.
"""

from __future__ import annotations

import base64
import concurrent.futures as cf
import html
import io
import threading
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from simlib import answers
from simlib.defaults import EXPLORE_REPLICATIONS, Defaults, defaults
from simlib.errors import InputError
from simlib.explorer.levers import Lever, changes, levers
from simlib.explorer.whatif import results_csv, save_whatif, whatif_scenario, whatif_text
from simlib.formats.keypaths import value_at
from simlib.reports import explorer as shown
from simlib.reports.build import project_file
from simlib.reports.whatifs import bottom_line
from simlib.scenario import Change, Scenario, load_scenario

WHATIF_NAME = "explorer-whatif"  # the what-if's name until the planner gives one
NUMBER_WIDTH = "9em"


class Cancelled(Exception):
    """The planner pressed Cancel (raised from the runner's progress function)."""


def _classed(widget: widgets.Widget, *names: str) -> widgets.Widget:
    for name in names:
        widget.add_class(f"mcsim-{name}")
    return widget


def _control(lever: Lever) -> widgets.Widget:
    """The input widget of ``lever``, showing today's value."""
    layout = widgets.Layout(width="auto")
    style = {"description_width": "16em"}
    common = {"description": lever.label, "style": style, "layout": layout}
    if lever.kind == "whole":
        return widgets.BoundedIntText(value=lever.start, min=int(lever.low or 0),
                                      max=int(lever.high or 10**6), **common)
    if lever.kind in ("number", "factor"):
        step = 0.05 if (lever.high or 2.0) <= 1.0 else 0.5
        return widgets.BoundedFloatText(value=lever.start, min=lever.low or 0.0,
                                        max=lever.high or 1e6, step=step, **common)
    if lever.kind == "switch":
        return widgets.Checkbox(value=bool(lever.base), indent=False, **common)
    if lever.kind == "block":
        return widgets.Checkbox(value=lever.base is not None, indent=False, **common)
    options = [(label, index) for index, (label, _) in enumerate(lever.choices)]
    chosen = next((index for index, (_, value) in enumerate(lever.choices)
                   if value == lever.start), 0)
    return widgets.Dropdown(options=options, value=chosen, **common)


def _today(lever: Lever) -> str:
    """Today's value as the control's note shows it."""
    if lever.kind in ("choice", "step"):
        return next((label for label, value in lever.choices if value == lever.start),
                    "as today")
    if lever.kind in ("switch", "block"):
        return "on" if lever.start not in (None, False) else "off"
    if lever.kind == "factor":
        return f"1 × {lever.base:g} a year"
    if lever.optional and lever.base is None:
        return "none"
    return f"{lever.start:g}"


class Explorer:
    """The what-if explorer (see the module). ``base``: the base scenario file; ``folder``:
    the scenarios folder (its files are offered as bases; what-ifs are saved only there);
    ``replications`` and ``seed``: the first Run's (default: :data:`EXPLORE_REPLICATIONS`
    and the base's seed); ``jobs``: worker processes (default: the CPU count);
    ``draws``: the posterior draws and replications per draw of the range over what we
    don't know (default: ``defaults("explore")``).

    Show it by making it a cell's last value; :attr:`widget` is the whole page."""

    def __init__(self, base: str | Path = "scenarios/baseline.yaml",
                 folder: str | Path = "scenarios", replications: int = EXPLORE_REPLICATIONS,
                 seed: int | None = None, jobs: int | None = None,
                 draws: Defaults | None = None) -> None:
        self.folder = Path(folder)
        self.jobs = jobs
        self.draws = draws or defaults("explore")
        self.answer: answers.ComparisonAnswer | None = None
        self._pool: cf.Executor | None = None
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._make_header(base, replications, seed)
        self._make_results()
        self.widget = _classed(widgets.VBox([self.header, self.levers_box, self.run_box,
                                             self.results_box, self.keep_box]), "explorer")
        self.load(base)

    # --- building -------------------------------------------------------------------

    def _make_header(self, base: str | Path, replications: int, seed: int | None) -> None:
        files = sorted(path.name for path in self.folder.glob("*.yaml"))
        chosen = Path(base).name if Path(base).parent.resolve() == self.folder.resolve() else ""
        self.base_choice = _classed(widgets.Combobox(
            value=chosen or str(base), options=files, ensure_option=False,
            description="Base scenario", style={"description_width": "initial"},
            placeholder=f"a file in {self.folder}, or a path"), "base")
        self.load_button = _classed(widgets.Button(description="Load"), "load")
        self.load_button.on_click(lambda _: self.load(self._base_path()))
        self.pathway_choice = _classed(widgets.Dropdown(description="Pathway"), "pathway")
        self.replications = _classed(widgets.BoundedIntText(
            value=replications, min=2, max=1000, description="Replications",
            style={"description_width": "initial"}, layout=widgets.Layout(width="14em")),
            "replications")
        self.seed = _classed(widgets.BoundedIntText(
            value=0 if seed is None else seed, min=0, max=2**31 - 1, description="Seed",
            layout=widgets.Layout(width="14em")), "seed")
        self._seed_given = seed is not None
        self.load_message = _classed(widgets.HTML(), "load-message")
        self.header = widgets.VBox([
            widgets.HBox([self.base_choice, self.load_button, self.pathway_choice]),
            self.load_message])
        self.levers_box = _classed(widgets.Accordion(), "levers")
        self.change_list = _classed(widgets.HTML(shown.changes_html([])), "change-list")
        self.whatif_message = _classed(widgets.HTML(), "whatif-message")
        self.run_button = _classed(widgets.Button(description="Run", button_style="primary",
                                                  icon="play"), "run")
        self.run_button.on_click(lambda _: self.run())
        self.cancel_button = _classed(widgets.Button(description="Cancel", disabled=True,
                                                     icon="stop"), "cancel")
        self.cancel_button.on_click(lambda _: self._cancel.set())
        self.progress = _classed(widgets.IntProgress(value=0, min=0, max=1), "progress")
        self.status = _classed(widgets.HTML(), "status")
        self.run_box = widgets.VBox([
            widgets.HTML("<b>What changes</b>"), self.change_list, self.whatif_message,
            widgets.HBox([self.replications, self.seed, self.run_button, self.cancel_button,
                          self.progress]), self.status])

    def _make_results(self) -> None:
        self.bottom = _classed(widgets.HTML(), "bottom-line")
        self.differences = _classed(widgets.HTML(), "results")
        self.hours = _classed(widgets.HTML(), "hours-box")
        self.breakdown = _classed(widgets.Image(format="png", layout=widgets.Layout(
            max_width="100%")), "breakdown")
        self.results_box = widgets.VBox([self.bottom, self.differences, self.hours,
                                         self.breakdown])
        self.downloads = _classed(widgets.HTML(), "downloads")
        self.save_name = _classed(widgets.Text(value="", placeholder="e.g. mc-weekly-2",
                                               description="Save as"), "save-name")
        self.save_title = _classed(widgets.Text(value="", placeholder="what the change is",
                                                description="Title"), "save-title")
        self.replace = _classed(widgets.Checkbox(value=False, indent=False,
                                                 description="replace an existing file"),
                                "save-replace")
        self.save_button = _classed(widgets.Button(description="Save as what-if",
                                                   icon="save"), "save")
        self.save_button.on_click(lambda _: self.save())
        for field in (self.save_name, self.save_title):  # the download is named and titled so
            field.observe(lambda _: self._offer_downloads(self._safe_text()), names="value")
        self.save_message = _classed(widgets.HTML(), "save-message")
        self.keep_box = widgets.VBox([
            widgets.HTML("<b>Keep the change</b>"), self.downloads,
            widgets.HBox([self.save_name, self.save_title, self.replace, self.save_button]),
            self.save_message])

    def _base_path(self) -> Path:
        """The base the planner named: a file of the scenarios folder, else a path (a
        relative one from the project folder)."""
        given = Path(self.base_choice.value.strip())
        if given.is_absolute():
            return given
        if (self.folder / given).is_file():
            return self.folder / given
        try:
            return Path(project_file(given))
        except InputError:
            return given

    # --- loading a base ---------------------------------------------------------------

    def load(self, path: str | Path) -> None:
        """Load the base scenario at ``path`` and build its levers; a file that does not
        load keeps the current base and shows its one-line message."""
        if self._running():
            self.load_message.value = _message("a run is going on: wait for it, or Cancel it")
            return
        try:
            base = load_scenario(path)
        except InputError as error:
            self.load_message.value = _message(str(error))
            return
        self.base = base
        self.load_message.value = ""
        self.levers = levers(base)
        self.controls: dict[str, widgets.Widget] = {}
        self.messages: dict[str, widgets.HTML] = {}
        sections: dict[str, list[widgets.Widget]] = {}
        for lever in self.levers:
            sections.setdefault(lever.section, []).append(self._lever_row(lever))
        self.levers_box.children = [widgets.VBox(rows) for rows in sections.values()]
        for index, title in enumerate(sections):
            self.levers_box.set_title(index, title)
        chosen = self.pathway_choice.value  # new options clear the choice: keep or pick one
        self.pathway_choice.options = list(base.pathways)
        self.pathway_choice.value = chosen if chosen in base.pathways else next(iter(base.pathways))
        if not self._seed_given:
            self.seed.value = base.seed
        self._changed()

    def _lever_row(self, lever: Lever) -> widgets.Widget:
        control = _classed(_control(lever), "lever", f"lever-{lever.key}")
        control.observe(lambda _, path=lever.path: self._changed(path), names="value")
        self.controls[lever.path] = control
        message = _classed(widgets.HTML(), "lever-message", f"message-{lever.key}")
        self.messages[lever.path] = message
        note = widgets.HTML(f'<span class="mcsim-today" title="{_attribute(lever.help)}">'
                            f"today: {_text(_today(lever))} · {_text(lever.help)}</span>")
        return widgets.VBox([widgets.HBox([control, note]), message])

    # --- the what-if ------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Each lever's value as its control shows it (a choice: the value chosen)."""
        found = {}
        for lever in self.levers:
            value = self.controls[lever.path].value
            if lever.kind in ("choice", "step"):
                value = lever.choices[value][1]
            elif lever.kind == "block":
                value = lever.choices[0][1] if value else None
            found[lever.path] = value
        return found

    @property
    def changes(self) -> dict[str, Any]:
        """The what-if's ``set``: dotted path -> new value."""
        return changes(self.base, self.levers, self.values())

    @property
    def name(self) -> str:
        """The what-if's name: the one to save it as, else :data:`WHATIF_NAME`."""
        return self.save_name.value.strip() or WHATIF_NAME

    def text(self, found: dict[str, Any] | None = None) -> str:
        """The what-if file's text (``extends`` the base, ``set`` the changes, or
        ``found``)."""
        found = self.changes if found is None else found
        title = self.save_title.value.strip() or shown.whatif_title(found)
        return whatif_text(self.base, self.folder, self.name, title, found)

    def whatif(self) -> Scenario:
        """The what-if scenario, loaded from :meth:`text` as its file would be."""
        return whatif_scenario(self.text(), self.folder, self.name)

    def _changed(self, path: str | None = None) -> None:
        """After a control moved: list the changes, check the what-if loads, show its
        message beside the control that moved (and under the changes), offer the
        download."""
        for message in self.messages.values():
            message.value = ""
        try:
            found = self.changes
            data = self.base.model_dump(mode="json", by_alias=True)
            self.change_list.value = shown.changes_html(
                Change(key, _value_at(data, key), value) for key, value in found.items())
            text = self.text(found)
            whatif_scenario(text, self.folder, self.name)
        except Exception as error:  # a control must never break the page: say what is wrong
            text = None
            words = str(error) if isinstance(error, InputError) else (
                f"this change cannot be made here ({type(error).__name__}: {error}); "
                "change it in the scenario file")
            self.whatif_message.value = _message(words)
            if path is not None:
                self.messages[path].value = _message(words)
        else:
            self.whatif_message.value = ""
        self.run_button.disabled = text is None or self._running()
        self._offer_downloads(text)

    def _offer_downloads(self, text: str | None) -> None:
        links = []
        if text is not None:
            links.append(_link(f"{self.name}.yaml", "text/yaml", text.encode(),
                               "Download the what-if (YAML)", "download-yaml"))
        if self.answer is not None:
            links.append(_link(f"{self.answer.comparison.alternatives[0].scenario.name}"
                               "-results.csv", "text/csv", results_csv(self.answer).encode(),
                               "Download the results (CSV)", "download-csv"))
        self.downloads.value = " · ".join(links)

    # --- running --------------------------------------------------------------------

    def _running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        """Start the comparison of the what-if with its base (in the background)."""
        if self._running():
            return
        try:
            alternative = self.whatif()
        except InputError as error:
            self.status.value = _message(str(error))
            return
        self._cancel.clear()
        self.run_button.disabled, self.cancel_button.disabled = True, False
        self.status.value = "Running…"
        settings = (self.base, alternative, self.replications.value, self.seed.value,
                    self.pathway_choice.value)
        self._thread = threading.Thread(target=self._work, args=settings, daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the current run (and its range over the draws) to end."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progress.max, self.progress.value = max(total, 1), done

    def _executor(self) -> cf.Executor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(max_workers=self.jobs)
        return self._pool

    def _work(self, base: Scenario, alternative: Scenario, replications: int, seed: int,
              pathway: str) -> None:
        """The comparison, then "where the time goes", then the range over the draws."""
        try:
            options = {"executor": self._executor(), "jobs": self.jobs,
                       "progress": self._progress}
            answer = answers.compare(base, [alternative], replications, seed,
                                     keep_events=True, **options)
            drawn = base.calibration is not None and base.calibration.posterior is not None
            self._show(answer, pathway, shown.NOT_YET if drawn else shown.NO_DRAWS)
            self._show_breakdown(answer, alternative.name)
            if drawn:
                draws = self.draws
                self.status.value = "Running at the posterior draws (what we don't know)…"
                answer = answers.with_range(answer, draws.draws, draws.replications_per_draw,
                                            **options)
                self._show(answer, pathway)
            self.status.value = (f"Done: {replications} paired runs, seed {seed}."
                                 if not drawn else
                                 f"Done: {replications} paired runs, seed {seed}, and "
                                 f"{draws.draws} posterior draws.")
        except Cancelled:
            self.status.value = "Cancelled; the last answer stays on screen."
        except InputError as error:
            self.status.value = _message(str(error))
        except Exception as error:  # the page must live on; say what went wrong
            self.status.value = _message(f"the run failed: {type(error).__name__}: {error}")
        finally:
            self.cancel_button.disabled = True
            self.run_button.disabled = False
            self._offer_downloads(self._safe_text())

    def _safe_text(self) -> str | None:
        try:
            return self.text()
        except InputError:
            return None

    def _show(self, answer: answers.ComparisonAnswer, pathway: str,
              unknowns: str = shown.NOT_YET) -> None:
        name = answer.comparison.alternatives[0].scenario.name
        with self._lock:
            self.answer = answer
            self.bottom.value = bottom_line(answer, pathway)._repr_html_()
            self.differences.value = shown.differences_html(answer, name, unknowns)
            self.hours.value = shown.hours_html(answer, name)

    def _show_breakdown(self, answer: answers.ComparisonAnswer, name: str) -> None:
        figure = shown.breakdown_figure(answer, name)
        stream = io.BytesIO()
        figure.savefig(stream, format="png")
        self.breakdown.value = stream.getvalue()

    # --- keeping it -------------------------------------------------------------------

    def save(self) -> Path | None:
        """Save the what-if as ``<folder>/<name>.yaml`` (see
        :func:`~simlib.explorer.whatif.save_whatif`); the path, or None with the message
        shown."""
        try:
            if not self.save_name.value.strip():
                raise InputError("give the what-if a name to save it as, e.g. mc-weekly-2")
            path = save_whatif(self.text(), self.folder, self.name, self.base,
                               replace=self.replace.value)
        except InputError as error:
            self.save_message.value = _message(str(error))
            return None
        self.save_message.value = (f'<span class="mcsim-saved">Saved {_text(str(path))}: '
                                   f"run it with mcsim compare {_text(self.base.source)} "
                                   f"{_text(str(path))}</span>")
        return path

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def _value_at(data: dict, path: str) -> Any:
    try:
        return value_at(data, path)
    except KeyError:
        return None


def _text(text: str) -> str:
    return html.escape(text)


def _attribute(text: str) -> str:
    return html.escape(text, quote=True)


def _message(text: str) -> str:
    return f'<span class="mcsim-error" style="color:#b00020">{_text(text)}</span>'


def _link(filename: str, kind: str, data: bytes, words: str, name: str) -> str:
    """A download link holding ``data`` itself (works offline, nothing to fetch)."""
    encoded = base64.b64encode(data).decode()
    return (f'<a class="mcsim-{name}" download="{_attribute(filename)}" '
            f'href="data:{kind};base64,{encoded}">{_text(words)}</a>')
