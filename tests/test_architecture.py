"""The house rules of simlib/, read with the standard library's ``ast``: no import cycles
(in-function imports included), arrows that run one way between the rooms, no module over
400 lines, and no in-function import of the package root."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simlib"
MAX_LINES = 400
# Each room and the rooms it must never import (arrows run down the layers; policy apart).
ABOVE = {
    "formats": {"scenario", "engine", "metrics", "experiments", "planning", "reports", "cli",
                "policy"},
    "scenario": {"engine", "metrics", "experiments", "planning", "reports", "cli", "policy"},
    "engine": {"metrics", "experiments", "planning", "reports", "cli", "policy"},
    "metrics": {"experiments", "planning", "reports", "cli", "policy"},
    "experiments": {"planning", "reports", "cli", "policy"},
    "planning": {"reports", "cli", "policy"},
    "reports": {"cli"},
    "policy": {"engine", "metrics", "experiments", "planning", "cli", "scenario"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


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


def imports_of(module: str) -> list[tuple[str, int, bool]]:
    """(imported simlib module, line, inside a function) for each import in ``module``."""
    tree = ast.parse(MODULES[module].read_text())
    skipped = _type_checking_lines(tree)
    functions = [node for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    inner = {line for node in functions
             for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or node.lineno in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            target = _resolve(name) if name.startswith("simlib") else None
            if target is not None and target != module:
                found.append((target, node.lineno, node.lineno in inner))
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


def test_no_module_over_400_lines():
    long = {module: len(path.read_text().splitlines()) for module, path in MODULES.items()}
    over = {module: lines for module, lines in long.items() if lines > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines: {over}"


def test_no_in_function_import_of_the_package_root():
    climbing = [f"{module}:{line}" for module in MODULES
                for target, line, inside in imports_of(module) if inside and target == "simlib"]
    assert not climbing, "in-function imports of simlib: " + ", ".join(climbing)


def test_every_room_is_a_package_with_a_docstring():
    for name in ("formats", "scenario", "engine", "metrics", "experiments", "planning",
                 "reports", "policy", "cli"):
        init = PACKAGE / name / "__init__.py"
        assert init.is_file() and ast.get_docstring(ast.parse(init.read_text())), name
