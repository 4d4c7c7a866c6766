"""The house rules of simlib/, read with the standard library's ``ast``: no import cycles
(in-function imports included), arrows that run one way between the rooms, nothing in the
reports room that simulates, no in-function import of the package root, and a generous
ceiling on a module's length (a smell: a module holds one concept whatever its length, and
is split where its concept ends, never to meet a count)."""

from __future__ import annotations

import ast
import functools
import importlib
import json
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simlib"
MAX_LINES = 800  # a smell, not a rule to split by
# Each room and the rooms it must never import (arrows run down the layers; policy apart).
QUESTIONS = {"experiments", "calibration", "optimize", "fitting", "planning"}
ABOVE = {
    "statistics": {"formats", "scenario", "engine", "metrics", "records", *QUESTIONS,
                   "answers", "reports", "cli", "policy", "version"},
    "formats": {"scenario", "engine", "metrics", "records", *QUESTIONS, "answers", "reports",
                "cli", "policy"},
    "scenario": {"engine", "metrics", "records", *QUESTIONS, "answers", "reports", "cli",
                 "policy"},
    "engine": {"metrics", "records", *QUESTIONS, "answers", "reports", "cli", "policy"},
    "metrics": {"records", *QUESTIONS, "answers", "reports", "cli", "policy"},
    "records": {*QUESTIONS, "answers", "reports", "cli", "policy"},
    "experiments": {*QUESTIONS - {"experiments"}, "answers", "reports", "cli", "policy"},
    "calibration": {"optimize", "fitting", "planning", "answers", "reports", "cli", "policy"},
    "optimize": {"calibration", "fitting", "planning", "answers", "reports", "cli", "policy"},
    "fitting": {"calibration", "optimize", "planning", "answers", "reports", "cli", "policy"},
    "planning": {"calibration", "optimize", "answers", "reports", "cli", "policy"},
    "answers": {"reports", "cli", "explorer"},
    "reports": {"cli", "explorer"},
    "cli": {"explorer"},
    "policy": {"engine", "metrics", "records", *QUESTIONS, "answers", "reports", "cli",
               "scenario", "explorer"},
}
for _room, _above in ABOVE.items():  # the explorer sits on top, beside the command line
    if _room not in ("cli", "explorer"):
        _above.add("explorer")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def parsed(path: Path) -> ast.Module:
    """The syntax tree of the file ``path`` (read once per version of the file: every test
    here walks the whole package)."""
    return _parse(path, path.stat().st_mtime_ns)


@functools.cache
def _parse(path: Path, version: int) -> ast.Module:
    return ast.parse(path.read_text())


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks (not imported at run time)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _resolve(name: str) -> str | None:
    """The simlib module ``name`` is, or the closest package containing it."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from`` import (``from .x import y`` included)."""
    if node.level == 0:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imported_names(module: str) -> list[tuple[str, str, int, bool]]:
    """(name, the module it is taken from, line, inside a function) for each name imported
    in ``module`` at run time, made absolute: ``import a.b`` gives ``a.b`` from ``a.b``,
    ``from a import b`` gives ``a.b`` from ``a``; imports under ``if TYPE_CHECKING:`` are
    left out."""
    tree = parsed(MODULES[module])
    skipped = _type_checking_lines(tree)
    functions = [node for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    inner = {line for node in functions
             for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or node.lineno in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [(alias.name, alias.name) for alias in node.names]
        else:
            source = _absolute(module, node)
            names = [(f"{source}.{alias.name}", source) for alias in node.names]
        found += [(name, source, node.lineno, node.lineno in inner) for name, source in names]
    return found


def _packages_above(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts))}


def imports_of(module: str) -> list[tuple[str, int, bool]]:
    """(imported simlib module, line, inside a function) for each import in ``module``:
    ``from simlib.x import y`` is module ``simlib.x.y`` when that is a submodule, else
    ``simlib.x``; importing ``simlib.x.y`` also runs the ``__init__`` of ``simlib.x`` (and of
    ``simlib``), unless ``module`` is inside that package already."""
    found = []
    own = _packages_above(module)
    for name, _, line, inside in imported_names(module):
        target = _resolve(name) if name.split(".")[0] == "simlib" else None
        if target is None or target == module:
            continue
        found.append((target, line, inside))
        found += [(package, line, inside)
                  for package in sorted(_packages_above(target) - own - {module})]
    return found


def graph() -> dict[str, set[str]]:
    """module -> the simlib modules it imports (a package import means its __init__)."""
    return {module: {target for target, _, _ in imports_of(module)} for module in MODULES}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first = last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    edges = graph()
    assert "simlib.scenario" in edges["simlib.engine.model"]  # the graph sees imports
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("lower", sorted(ABOVE))
def test_arrows_run_one_way(lower):
    wrong = [f"{module}:{line} imports {target}"
             for module in MODULES if room(module) == lower
             for target, line, _ in imports_of(module) if room(target) in ABOVE[lower]]
    assert not wrong, "\n".join(wrong)


def test_no_module_over_the_ceiling():
    long = {module: len(path.read_text().splitlines()) for module, path in MODULES.items()}
    over = sorted((lines, module) for module, lines in long.items() if lines > MAX_LINES)
    assert not over, f"{len(over)} over {MAX_LINES} lines (one concept each?):\n" + "\n".join(
        f"  {MODULES[module].relative_to(PACKAGE.parent)}: {lines} lines"
        for lines, module in reversed(over))


def test_no_in_function_import_of_the_package_root():
    """``import simlib`` or ``from simlib import ...`` inside a function climbs back up to
    the public API; import the submodule that defines the name instead."""
    climbing = [f"{module}:{line} imports {name}" for module in MODULES
                for name, source, line, inside in imported_names(module)
                if inside and source == "simlib"]
    assert not climbing, "in-function imports of the package root:\n" + "\n".join(climbing)


def test_the_import_reader_sees_what_python_runs(tmp_path, monkeypatch):
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import simlib.engine.model\n"
        "from simlib.scenario import load_scenario\n"
        "from . import errors\n"
        "if TYPE_CHECKING:\n"
        "    from simlib.experiments import results\n"
        "def f():\n"
        "    from simlib import Scenario\n"
        "    import simlib.metrics.summary\n"
    )
    monkeypatch.setitem(MODULES, "simlib.probe", source)
    assert sorted(imports_of("simlib.probe")) == [
        ("simlib", 8, True), ("simlib.engine", 2, False), ("simlib.engine.model", 2, False),
        ("simlib.errors", 4, False), ("simlib.metrics", 9, True),
        ("simlib.metrics.summary", 9, True), ("simlib.scenario", 3, False),
    ]
    assert [(source, line) for _, source, line, inside in imported_names("simlib.probe")
            if inside] == [("simlib", 8), ("simlib.metrics.summary", 9)]
    assert all(target != "simlib.scenario"
               for target, _, _ in imports_of("simlib.scenario.loading"))


def test_the_statistics_room_stands_on_numpy_scipy_pandas_alone():
    """The ground floor: the standard library, numpy, scipy, pandas and simlib.errors."""
    allowed = {"numpy", "scipy", "pandas", "simlib.errors", "simlib.statistics"}
    wrong = [f"{module}:{line} imports {source}" for module in MODULES
             if room(module) == "statistics"
             for _, source, line, _ in imported_names(module)
             if source.split(".")[0] not in sys.stdlib_module_names
             and not any(source == name or source.startswith(f"{name}.") for name in allowed)]
    assert not wrong, "\n".join(wrong)


def test_every_room_is_a_package_with_a_docstring():
    for name in ("statistics", "formats", "scenario", "engine", "metrics", "experiments",
                 "calibration", "optimize", "planning", "answers", "reports", "policy", "cli",
                 "explorer"):
        init = PACKAGE / name / "__init__.py"
        assert init.is_file() and ast.get_docstring(ast.parse(init.read_text())), name


# --- who simulates ------------------------------------------------------------------------

SIMULATING = {"simlib.engine.model.simulate", "simlib.experiments.runner.run"}
RENDERERS = ("reports", "cli", "explorer")  # rooms that only render answers: never simulate
ASKING = ("cli", "explorer")  # rooms that may ask the answer layer for an answer (it simulates)


def _calls(module: str) -> dict[str, set[str]]:
    """Per function of ``module`` (``module.name``; methods as ``module.Class.name``; the
    module's own top-level code as ``module``): the simlib functions it calls, resolved
    through the module's imports and its own definitions."""
    tree = parsed(MODULES[module])
    names = {alias.asname or alias.name: f"{_absolute(module, node)}.{alias.name}"
             for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             for alias in node.names}
    names.update({node.name: f"{module}.{node.name}" for node in tree.body
                  if isinstance(node, ast.FunctionDef | ast.ClassDef)})
    found: dict[str, set[str]] = {module: set()}

    def visit(node: ast.AST, owner: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{owner}.{child.name}"
                found.setdefault(inner, set())
                visit(child, inner)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
                target = names.get(child.func.id)
                if target and target.startswith("simlib"):
                    found[owner].add(target)
            visit(child, owner)

    visit(tree, module)
    return found


def simulating_functions(modules: dict[str, Path] | None = None) -> set[str]:
    """Every simlib function that runs a simulation: :data:`SIMULATING` and, transitively,
    every function that calls one of them by name (a class counts as its methods)."""
    calls = {}
    for module in modules or MODULES:
        calls.update(_calls(module))
    for name in list(calls):  # a class "calls" what its methods call
        parent = name.rpartition(".")[0]
        if parent in calls and parent not in MODULES:
            calls[parent] |= calls[name]
    found = set(SIMULATING)
    while True:
        more = {name for name, targets in calls.items() if targets & found} - found
        if not more:
            return found
        found |= more


def renderers_that_simulate() -> list[str]:
    """``module.function -> callee`` for each function of a renderer room that calls a
    simulating function (the command line may call the answer layer's)."""
    simulating = simulating_functions()
    return sorted(f"{name} -> {target}" for module in MODULES if room(module) in RENDERERS
                  for name, targets in _calls(module).items()
                  for target in targets & simulating
                  if not (room(module) in ASKING and room(target) == "answers"))


def test_reports_and_the_command_line_never_simulate():
    assert "simlib.experiments.compare.compare" in simulating_functions()  # it can see
    wrong = renderers_that_simulate()
    assert not wrong, ("reports and the command line render answers; they get them from "
                       "simlib.answers:\n" + "\n".join(wrong))


def test_a_report_that_simulates_is_caught(tmp_path, monkeypatch):
    probe = tmp_path / "probe.py"
    probe.write_text("from simlib.planning.deadlines import plan\n"
                     "def page(scenario):\n"
                     "    return plan(scenario, 'credit', None, [])\n")
    monkeypatch.setitem(MODULES, "simlib.reports.probe", probe)
    assert renderers_that_simulate() == [
        "simlib.reports.probe.page -> simlib.planning.deadlines.plan"]


def test_a_command_that_simulates_is_caught(tmp_path, monkeypatch):
    probe = tmp_path / "probe.py"
    probe.write_text("def handler(args):\n"
                     "    from simlib.answers._plan import plan\n"
                     "    from simlib.experiments.results import replicate\n"
                     "    plan(args.scenario, 'p', None, '2027-01-04')\n"
                     "    return replicate(args.scenario)\n")
    monkeypatch.setitem(MODULES, "simlib.cli.probe", probe)
    assert renderers_that_simulate() == [
        "simlib.cli.probe.handler -> simlib.experiments.results.replicate"]


# --- notebooks render answers too -----------------------------------------------------------

NOTEBOOKS = PACKAGE.parent / "notebooks"


def _public_module(target: str) -> str:
    """``target`` (``package.name``) as the module that defines it, when ``package`` is a
    public face that imports its names on first use (``simlib``, ``simlib.answers``)."""
    package, _, name = target.rpartition(".")
    if package in ("simlib", "simlib.answers"):
        public = importlib.import_module(package)._PUBLIC
        if name in public:
            module = public[name]
            module = module if module.startswith("simlib") else f"{package}.{module}"
            return f"{module}.{name}"
    return target


def notebook_calls(source: str) -> set[str]:
    """The simlib functions a notebook's code calls, by name or through a module alias
    (``simlib.replicate(...)``, ``answers.run(...)``, ``today.bottom_line(...)``)."""
    tree = ast.parse(source)
    alias: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            alias.update({item.asname or item.name: item.name for item in node.names})
        elif isinstance(node, ast.ImportFrom):
            alias.update({item.asname or item.name: f"{node.module}.{item.name}"
                          for item in node.names})
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in alias:
            found.add(_public_module(alias[function.id]))
        elif (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
              and function.value.id in alias):
            found.add(_public_module(f"{alias[function.value.id]}.{function.attr}"))
    return {name for name in found if name.startswith("simlib")}


def notebooks_that_simulate(sources: dict[str, str]) -> list[str]:
    """``notebook -> callee`` for each simulating function a notebook calls other than
    through the answer layer."""
    simulating = simulating_functions()
    return sorted(f"{name} -> {target}" for name, source in sources.items()
                  for target in notebook_calls(source) & simulating
                  if room(target) != "answers")


def _notebook_sources() -> dict[str, str]:
    sources = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        sources[path.name] = "\n".join("".join(cell["source"]) for cell in cells
                                       if cell["cell_type"] == "code")
    return sources


def test_notebooks_get_their_answers_from_the_answer_layer():
    sources = _notebook_sources()
    assert len(sources) >= 8 and all("answers." in text or "Explorer(" in text
                                     for text in sources.values())
    wrong = notebooks_that_simulate(sources)
    assert not wrong, "notebooks render answers from simlib.answers:\n" + "\n".join(wrong)


def test_a_notebook_that_simulates_is_caught():
    source = ("import simlib\nfrom simlib import answers\n"
              "from simlib.experiments.studies import sweep\n"
              "answer = answers.run(scenario, 4)\n"
              "results = simlib.replicate(scenario, 4)\n"
              "study = sweep(scenario, 'bodies.owd.staff', [1, 2])\n")
    assert notebooks_that_simulate({"probe.ipynb": source}) == [
        "probe.ipynb -> simlib.experiments.results.replicate",
        "probe.ipynb -> simlib.experiments.studies.sweep"]


def test_the_explorer_stands_on_the_answer_layer_and_the_reports():
    """The explorer's widgets ask :mod:`simlib.answers` and render with :mod:`simlib.reports`:
    below them only the scenario (its levers and files), formats, defaults and errors;
    never the engine, the metrics or a question's room directly."""
    allowed = {"answers", "reports", "scenario", "formats", "defaults", "errors", "explorer"}
    wrong = [f"{module}:{line} imports {target}" for module in MODULES
             if room(module) == "explorer"
             for target, line, _ in imports_of(module) if room(target) not in allowed]
    assert not wrong, "\n".join(wrong)
    assert any(room(module) == "explorer" for module in MODULES)
