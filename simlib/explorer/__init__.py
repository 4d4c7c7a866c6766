"""The what-if explorer: a planner moves controls, presses Run and reads the answer against
today's process, then keeps the change as a what-if file; in JupyterLab
(``notebooks/00-explorer.ipynb``) or as a web page (``make explorer``, Voila).

- :mod:`~simlib.explorer.levers`: the controls, generated from a scenario and the schema,
  and the ``set`` of the what-if they describe;
- :mod:`~simlib.explorer.whatif`: that what-if as a file's text, loaded, saved (inside the
  scenarios folder only) and its results as CSV;
- :mod:`~simlib.explorer.app`: the widgets (ipywidgets).

The explorer asks the answer layer (:mod:`simlib.answers`) for its answers and shows them
with the reports' renderers (:mod:`simlib.reports`); it never simulates itself.
"""

from simlib.explorer.levers import Lever, changes, levers

__all__ = ["Explorer", "Lever", "changes", "levers"]


def __getattr__(name: str):
    """``Explorer`` on first use (the widgets load ipywidgets)."""
    if name == "Explorer":
        from simlib.explorer.app import Explorer

        return Explorer
    raise AttributeError(f"module 'simlib.explorer' has no attribute {name!r}")
