"""Report figures: size, titles, labels, legends drawn from the data, and no open figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from simlib.reports import figures as plots
from simlib.reports.today import step_names

PATHWAYS = ("credit", "noncredit")
DEMANDS = (1.0, 2.0, 3.0)


def cycles_table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    credit = rng.gamma(4.0, 45.0, 300)
    noncredit = rng.gamma(3.0, 20.0, 200)
    return pd.DataFrame({
        "pathway": ["credit"] * 300 + ["noncredit"] * 200 + ["credit"],
        "cycle_days": [*credit, *noncredit, math.nan],
    })


def breakdown_table() -> pd.DataFrame:
    steps = {"credit": ["department", "dean", "owd", "mc", "grad_council", "owd (2)"],
             "noncredit": ["department", "owd", "mc"]}
    labels = {"department": "Department chair", "dean": "Dean's office",
              "owd": "Office of Workforce Development", "mc": "Microcredential Committee",
              "grad_council": "Graduate Council", "owd (2)": "Office of Workforce Development"}
    rows = []
    for pathway, names in steps.items():
        for index, step in enumerate(names):
            rows.append({"pathway": pathway, "step": step, "body_label": labels[step],
                         "queue_wait_days": 2.0 + index, "review_days": 5.0,
                         "meeting_wait_days": math.nan if index % 2 else 12.0,
                         "closed_days": 3.0 * (index % 3), "rework_days": 1.5})
    return pd.DataFrame(rows)


def forest_table() -> pd.DataFrame:
    alternatives = ["Add a second reviewer at the Office of Workforce Development",
                    "Monthly Microcredential Committee meetings instead of every six weeks",
                    "Skip the dean", "No summer recess for the Graduate Council"]
    rows = []
    for pathway in PATHWAYS:
        for index, alternative in enumerate(alternatives):
            low, high = (math.nan, math.nan) if index == 2 else (-20.0 * index - 8, 4.0)
            rows.append({"alternative": alternative, "pathway": pathway,
                         "mean_diff_days": -10.0 * index - 2, "ci95_low": low, "ci95_high": high})
    return pd.DataFrame(rows)


def sweep_table() -> pd.DataFrame:
    rows = []
    for pathway in PATHWAYS:
        for demand in DEMANDS:
            for capacity in range(1, 6):
                mean = 60.0 + 200.0 * demand / capacity
                rows.append({"capacity": capacity, "demand": demand, "pathway": pathway,
                             "mean_days": mean, "ci95_low": 0.9 * mean, "ci95_high": 1.1 * mean,
                             "load": min(1.2, 0.45 * demand / capacity),
                             "capacity_label": "reviewers at the office"})
    return pd.DataFrame(rows)


def knees_table() -> pd.DataFrame:
    return pd.DataFrame({"pathway": ["credit", "noncredit"], "demand": [1.0, 2.0],
                         "capacity": [3, 4]})


def load_table() -> pd.DataFrame:
    bodies = {"Dean's office": 0.2, "Microcredential Committee": 0.3,
              "Office of Workforce Development": 0.45}
    return pd.DataFrame([{"demand": demand, "body_label": body, "load": share * demand}
                         for body, share in bodies.items() for demand in (1, 2, 3, 4, 5)])


def queue_table() -> pd.DataFrame:
    dates = pd.date_range("2025-01-01", periods=104, freq="7D")
    wave = 3.0 + 2.0 * np.sin(np.arange(104) / 8.0)
    return pd.concat([
        pd.DataFrame({"date": dates, "body_label": "Microcredential Committee",
                      "waiting": wave}),
        pd.DataFrame({"date": dates, "body_label": "Graduate Council", "waiting": wave / 2}),
        pd.DataFrame({"date": dates, "body_label": "Dean's office", "waiting": 0.0}),
    ], ignore_index=True)


def demand_table() -> pd.DataFrame:
    rows = []
    for pathway, start in zip(PATHWAYS, (170.0, 60.0), strict=True):
        for demand in DEMANDS:
            mean = start * demand ** 1.3
            rows.append({"demand": demand, "pathway": pathway, "mean_days": mean,
                         "ci95_low": mean - 8, "ci95_high": mean + 8, "p90_days": 1.6 * mean})
    return pd.DataFrame(rows)


def tornado_table() -> pd.DataFrame:
    rows = []
    for pathway, base in zip(PATHWAYS, (170.0, 60.0), strict=True):
        for index in range(12):
            swing = 40.0 - 3.0 * index
            rows.append({"pathway": pathway, "rank": index + 1,
                         "assumption": f"bodies.b{index}.review_days.mean",
                         "note": f"A: reading time at body number {index}, working days",
                         "low": 1, "high": 10 + index, "mean_low": base - swing / 3,
                         "mean_base": base, "mean_high": base + 2 * swing / 3})
    shuffled = pd.DataFrame(rows).sample(frac=1.0, random_state=3)  # rank, not row order,
    return shuffled.sort_values("pathway", kind="stable")  # decides the order of bars


def frontier_points() -> pd.DataFrame:
    """Six combinations: four on the frontier (one the knee, one today), two beaten."""
    rows = [("today", 170, 780, True, False),
            ("MC e-votes + senate at once", 136, 778, True, False),
            ("summer authority", 115, 956, False, False),
            ("MC e-votes + senate at once + summer authority", 95, 946, True, True),
            ("MC weekly + senate at once + summer authority", 91, 1135, True, False),
            ("MC weekly", 163, 908, False, False)]
    return pd.DataFrame([{"label": label, "days": days, "days_low": days - 2,
                          "days_high": days + 2, "hours": hours, "hours_low": hours - 9,
                          "hours_high": hours + 9, "on_frontier": front, "knee": knee,
                          "today": label == "today"}
                         for label, days, hours, front, knee in rows])


FIGURES = {
    "cycle_time_distribution": lambda: plots.cycle_time_distribution(
        cycles_table(), {"credit": 170.0}),
    "time_breakdown": lambda: plots.time_breakdown(breakdown_table()),
    "forest": lambda: plots.forest(forest_table()),
    "response_curves": lambda: plots.response_curves(
        sweep_table(), "Office of Workforce Development", knees_table()),
    "utilization_curves": lambda: plots.utilization_curves(
        sweep_table(), "Office of Workforce Development"),
    "load_by_demand": lambda: plots.load_by_demand(load_table()),
    "queue_over_time": lambda: plots.queue_over_time(queue_table(), "Queues at 2x demand"),
    "cycle_by_demand": lambda: plots.cycle_by_demand(demand_table()),
    "tornado": lambda: plots.tornado(tornado_table(), top=10),
    "frontier_plot": lambda: plots.frontier_plot(frontier_points(), "mean days to approval"),
}


def title(ax) -> str:
    return " ".join(ax.get_title(loc) for loc in ("left", "center", "right")).strip()


def xlabel(ax) -> str:
    """The x label of ``ax``, of an axes it shares x with, or of the figure."""
    shared = ax.get_shared_x_axes().get_siblings(ax)
    return " ".join([ax.figure.get_supxlabel(), *(other.get_xlabel() for other in shared)])


def ylabel(ax) -> str:
    """The y label of ``ax``, of an axes it shares y with, or of the figure."""
    shared = ax.get_shared_y_axes().get_siblings(ax)
    return " ".join([ax.figure.get_supylabel(), *(other.get_ylabel() for other in shared)])


def legend_texts(fig: Figure) -> list[str]:
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    return [text.get_text() for legend in legends if legend for text in legend.get_texts()]


@pytest.fixture(autouse=True)
def no_open_figures():
    yield
    assert plt.get_fignums() == []


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_readable(name):
    fig = FIGURES[name]()
    assert isinstance(fig, Figure)
    assert fig.get_figwidth() <= 10.0
    assert fig.dpi == 100
    assert fig.get_suptitle() or any(title(ax) for ax in fig.axes)
    for ax in fig.axes:
        assert xlabel(ax).strip(), f"{name}: no x label"
        assert ylabel(ax).strip(), f"{name}: no y label"
    texts = [text for text in fig.findobj(Text) if text.get_visible() and text.get_text()]
    assert min(text.get_fontsize() for text in texts) >= 10
    assert plt.get_fignums() == []


def test_cycle_time_distribution_marks_the_data():
    cycles = cycles_table()
    fig = FIGURES["cycle_time_distribution"]()
    credit = cycles.loc[cycles["pathway"] == "credit", "cycle_days"].dropna()
    labels = legend_texts(fig)
    assert fig.get_suptitle() == "How long approval takes"
    assert len(fig.axes) == 4
    assert f"mean {credit.mean():.0f} d" in labels
    assert f"P90 {credit.quantile(0.9):.0f} d" in labels
    assert "documented average 170 d" in labels
    assert title(fig.axes[0]).startswith("Credit-bearing: 300 ")
    assert title(fig.axes[2]).startswith("Non-credit")
    assert fig.axes[1].get_ylabel() == "share of proposals approved (%)"


def test_time_breakdown_totals_and_order():
    table = breakdown_table()
    fig = plots.time_breakdown(table)
    first = fig.axes[0]
    assert first.get_yticklabels()[0].get_text() == "Department chair"
    assert first.get_yticklabels()[-1].get_text().endswith("(visit 2)")
    assert first.get_ylim()[0] > first.get_ylim()[1]  # first step at the top
    parts = [column for column in plots.TIME_PARTS]
    total = table.loc[0, parts].fillna(0).sum()
    assert f"{total:.0f} d" in [text.get_text() for text in first.texts]
    assert legend_texts(fig)[:2] == ["waiting for a reviewer", "under review"]
    assert fig.axes[-1].get_xlabel() == "mean days per proposal"


def test_forest_one_point_per_alternative_and_pathway():
    table = forest_table()
    fig = plots.forest(table)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        points = [line for line in ax.lines if line.get_marker() == "o"]
        assert len(points) == 1
        assert len(points[0].get_xdata()) == table["alternative"].nunique()
        assert np.all(np.isfinite(np.asarray(points[0].get_xdata(), float)))
    labels = [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    assert all(len(line) <= 40 for label in labels for line in label.split("\n"))


def test_forest_all_nan_intervals():
    table = forest_table().assign(ci95_low=math.nan, ci95_high=math.nan)
    assert isinstance(plots.forest(table), Figure)


def test_response_curves_legend():
    fig = FIGURES["response_curves"]()
    labels = legend_texts(fig)
    assert {"1x demand", "2x demand", "3x demand", "more stops helping"} <= set(labels)
    assert fig.get_suptitle() == "Time to approval as the Office of Workforce Development grows"
    assert fig.axes[0].get_xlabel() == "reviewers at the office"
    assert plots.response_curves(sweep_table().drop(columns="capacity_label"),
                                 "x").axes[0].get_xlabel() == "reviewers"


def test_utilization_and_load_mark_full():
    for fig in (FIGURES["utilization_curves"](), FIGURES["load_by_demand"]()):
        labels = legend_texts(fig)
        assert "full (100%)" in labels
        assert any("queues grow fast" in label for label in labels)
    fig = FIGURES["load_by_demand"]()
    assert title(fig.axes[0]).startswith(
        "First past 85%: Office of Workforce Development at 2x demand")
    assert [tick.get_text() for tick in fig.axes[0].get_xticklabels()][:2] == ["1x", "2x"]
    assert legend_texts(fig)[0] == "Office of Workforce\nDevelopment"  # fullest first


def test_queue_over_time_draws_the_longest_queues_smoothed():
    fig = plots.queue_over_time(queue_table(), "Queues", bodies=2, smooth=4)
    labels = legend_texts(fig)
    assert labels == ["Microcredential Committee", "Graduate Council"]
    assert "Dean's office" in title(fig.axes[0])
    assert "28-day average" in fig.axes[0].get_ylabel()  # 4 weekly samples
    line = fig.axes[0].get_lines()[0]
    wave = queue_table().query("body_label == 'Microcredential Committee'")["waiting"]
    assert line.get_ydata()[10] == pytest.approx(wave.iloc[7:11].mean())
    unsmoothed = plots.queue_over_time(queue_table(), "Queues", bodies=1, smooth=1)
    assert unsmoothed.axes[0].get_lines()[0].get_ydata()[10] == pytest.approx(wave.iloc[10])
    assert legend_texts(unsmoothed) == ["Microcredential Committee"]


def test_cycle_by_demand_draws_p90_when_present():
    labels = legend_texts(FIGURES["cycle_by_demand"]())
    assert {"Credit-bearing: mean", "Credit-bearing: P90", "Non-credit: P90"} <= set(labels)
    plain = plots.cycle_by_demand(demand_table().drop(columns="p90_days"))
    assert not any("P90" in label for label in legend_texts(plain))


def test_tornado_largest_swing_on_top():
    fig = FIGURES["tornado"]()
    first = fig.axes[0]
    labels = [tick.get_text() for tick in first.get_yticklabels()]
    assert len(labels) == 10
    assert labels[0].startswith("reading time at body number 0")
    assert labels[0].endswith("(1\u201310)")
    assert first.get_ylim()[0] > first.get_ylim()[1]
    assert {"assumption at its low end", "at its high end"} <= set(legend_texts(fig))


def test_empty_table_is_an_error_and_closes_nothing_open():
    with pytest.raises(ValueError, match="no rows"):
        plots.forest(forest_table().iloc[:0])


def test_time_breakdown_names_steps_as_the_table_does():
    table = breakdown_table()
    table = table.assign(body=[step.split("_")[0] for step in table["step"]])
    fig = plots.time_breakdown(table)
    names = [tick.get_text().replace("\n", " ") for tick in fig.axes[0].get_yticklabels()]
    expected = step_names(table[table["pathway"] == table["pathway"].iloc[0]])
    assert names == [name.replace("\n", " ") for name in expected]
    assert not any("visit" in name for name in names)


def test_forest_puts_stress_tests_in_their_own_panels():
    table = forest_table()
    stress = table[table["alternative"] == "Skip the dean"].assign(
        alternative="Five times the proposals", mean_diff_days=160.0, ci95_low=150.0,
        ci95_high=170.0)
    table = pd.concat([table.assign(kind="change"), stress.assign(kind="stress test")])
    fig = plots.forest(table)
    assert len(fig.axes) == 2 * len(PATHWAYS)
    top, bottom = fig.axes[0], fig.axes[len(PATHWAYS)]
    assert [tick.get_text() for tick in bottom.get_yticklabels()] == [
        "Five times the proposals"]
    assert "Five times the proposals" not in [t.get_text() for t in top.get_yticklabels()]
    assert top.get_xlim()[1] < 100 < bottom.get_xlim()[1]  # the changes keep their scale
    assert "stress tests" in bottom.get_title()


def test_queue_over_time_counts_years_from_the_start_and_shades_the_warm_up():
    table = queue_table().assign(time=lambda frame: (frame["date"] - frame["date"].min())
                                 .dt.days.astype(float))
    fig = plots.queue_over_time(table, "Queues", warmup_days=365)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "years from the start of the simulation"
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] < 3  # two years, not dates
    assert "warm-up (left out of the results)" in legend_texts(fig)
    shaded = [patch for patch in ax.patches if patch.get_label().startswith("warm-up")]
    assert len(shaded) == 1 and shaded[0].get_x() == 0 and shaded[0].get_width() == \
        pytest.approx(365 / 365.25)
    assert all(":" not in tick.get_text() and "20" not in tick.get_text()[:2]
               for tick in ax.get_xticklabels())


def test_tornado_keeps_sources_out_of_labels_and_in_a_footnote():
    table = tornado_table().astype({"low": float, "high": float})
    table.loc[table["rank"] == 1, "note"] = "A: rework after MC, days (sources.md: 1-3 weeks)"
    table.loc[table["rank"] == 2, "assumption"] = "pathways.credit.mc.revise.p"
    table.loc[table["rank"] == 2, ["low", "high"]] = [0.2, 0.4]
    fig = plots.tornado(table)
    labels = [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("rework after MC, days\u2020") and "sources.md" not in labels[0]
    assert labels[1].endswith("(20%\u201340%)")
    footnote = fig.legends[0].get_title().get_text()
    assert footnote.startswith("\u2020 range from a published source")
    plain = plots.tornado(tornado_table())
    assert plain.legends[0].get_title().get_text() == ""


def test_frontier_plot_numbers_the_frontier_by_hours_and_names_each_point():
    fig = plots.frontier_plot(frontier_points(), "mean days to approval")
    numbers = [text.get_text() for text in fig.axes[0].texts]
    assert numbers == ["1", "2", "3", "4"]  # the four frontier points, fewest hours first
    entries = legend_texts(fig)
    assert entries[entries.index("1: MC e-votes + senate at once"):][:4] == [
        "1: MC e-votes + senate at once", "2: today",
        "3: MC e-votes + senate at once + summer authority",
        "4: MC weekly + senate at once + summer authority"]
    assert "the knee (where the trade-off bends most)" in entries and "today" in entries
    assert "95% CI" in fig.axes[0].get_xlabel() and "mean days" in fig.axes[0].get_ylabel()

