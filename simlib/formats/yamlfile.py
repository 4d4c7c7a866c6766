"""Reading user input files and turning every problem into one line the user can act on.

Each message names the file, the place in it, and what is wrong, e.g.
``scenarios/x.yaml: bodies.mc.meets.every_weeks: must be >= 1, got 0``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simlib.errors import ScenarioError


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so a bad date is reported at its key path,
    and rejects a key given twice in one mapping (YAML would silently keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice; keep one", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


SCENARIO_KEYS = ("a scenario", "name", "bodies")


def read_yaml_mapping(path: Path, what: tuple[str, str, str] = SCENARIO_KEYS) -> dict:
    """Read a YAML file that must hold a mapping; raise :class:`ScenarioError` otherwise.

    ``what``: (what the file is, and two keys it needs) for the messages about an empty file
    or one that is not a mapping, e.g. ("a proposal", "title", "pathway")."""
    kind, first, second = what
    if not path.exists():
        raise ScenarioError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder; give a .yaml file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_PlainLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ScenarioError(f"{path}: {place}YAML syntax error: {problem}") from None
    if data is None:
        raise ScenarioError(f"{path}: file is empty; {kind} needs at least {first} and {second}")
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: must be a mapping of keys ({first}: ..., {second}: ...), "
            f"got a {type(data).__name__}"
        )
    return data
