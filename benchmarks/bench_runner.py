"""Benchmark of the experiment runner, measured side by side in one run (``make bench``).

Prints twelve figures, each with its bar:

1. ``mcsim run scenarios/baseline.yaml --replications 1000 --jobs 2``: wall time over the
   simulation floor (1000 x the median time of one ``simulate()`` of the baseline, divided
   by 2 workers), the floor measured just before and just after the command, with
   ``simulate()`` timed on both cores at once as in the run (the time on one core alone,
   with the other idle, is printed too); bar 1.25.
2. Peak memory (resident set) of the ``mcsim run`` process with ``--replications 2000`` over
   that with ``--replications 200``; bar 1.3 (memory does not grow with replications).
3. ``mcsim check-proposal`` and ``mcsim badges validate`` import neither simpy nor scipy.
4. The engine against a hand-written SimPy model (``bench_engine.py``); bar 1.5.
5. ``mcsim plan`` (credit-bearing, undergraduate, launch 2027-08-23) at the scenario's
   replications on 2 workers: wall time, and that time over the time of ``mcsim run`` at the
   same replications (the planner runs a longer calendar with its probes, twice: the weekly
   grid, then the days around its answer); bar 60 s.
6. ``mcsim fit examples/history.csv`` (eight years, 154 proposals) against the baseline:
   wall time, the command's start-up included; bar 60 s.
7. ``mcsim compare scenarios/baseline.yaml scenarios/mc-weekly.yaml --uncertainty`` and
   ``mcsim plan ... --uncertainty`` with their default draws and replications on 2 workers:
   wall time of each; bar 60 s each.
8. ``mcsim calibrate scenarios/baseline.yaml --posterior`` (default draws) on 2 workers: wall
   time; bar 10 minutes.
9. ``mcsim optimize scenarios/specs/governance.yaml --pareto`` (every combination at the
   spec's replications) on 2 workers: wall time; bar 3 minutes.
10. Peak memory of ``mcsim eventlog scenarios/baseline.yaml --format csv`` with
   ``--replications 100000`` (the most allowed; ``BENCH_EVENTLOG_REPLICATIONS`` sets fewer,
   e.g. 10000, for a shorter run: the full count takes about 35 minutes on 2 workers) over
   that with ``--replications 1000``; bar 1.3 (the log is written as it is simulated).
11. The what-if explorer in Python (an ``Explorer``, as the notebook builds it) on 2
   workers, "MC meets weekly" at the explorer's default replications
   (``simlib.defaults.EXPLORE_REPLICATIONS``): seconds from Run to the first answer, and to
   the range over the posterior draws; for the first Run (the worker processes start) and a
   second one (they are warm); bar 5 s to the first answer, each Run.
12. The explorer as a web page (``mcsim explore``, headless Chromium: ``explorer_page.py``):
   seconds until the server listens, and from asking for the page to the explorer drawn
   (a kernel starts and runs the notebook); bar 15 s. Then, on that page, seconds from
   Run to the first answer for "MC meets weekly" at the default replications.

Machines are shared and noisy: ratios, not seconds, are the result.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
WORKERS = 2
REPLICATIONS = 1000
MEMORY_SMALL, MEMORY_LARGE = 200, 2000
EVENTLOG_SMALL = 1000
EVENTLOG_LARGE = int(os.environ.get("BENCH_EVENTLOG_REPLICATIONS", "100000"))
# Runs mcsim in a child process and prints its own peak resident set (KiB) on the last line.
PEAK_DRIVER = (
    "import resource, sys\n"
    "from simlib.cli.main import main\n"
    "status = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(status)\n"
)


def simulate_times(samples: int = 30) -> list[float]:
    """Seconds of each of ``samples`` single ``simulate()`` calls of the baseline."""
    from simlib.engine.model import simulate
    from simlib.scenario import load_scenario

    scenario = load_scenario(BASELINE)
    simulate(scenario, scenario.seed, 0)
    times = []
    for replication in range(samples):
        start = time.perf_counter()
        simulate(scenario, scenario.seed, replication)
        times.append(time.perf_counter() - start)
    return times


def simulate_median(workers: int = WORKERS) -> float:
    """Median seconds of one ``simulate()`` of the baseline, timed in ``workers`` processes
    at once: the conditions of a run on ``workers`` workers (two busy cores run slower
    than one, on this kind of shared machine by 10-20%)."""
    with cf.ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(simulate_times, [30] * workers))
    return statistics.median(value for part in parts for value in part)


def mcsim(*args: str) -> tuple[float, int, str]:
    """(wall seconds, peak KiB of the mcsim process, stdout) of ``mcsim args``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK_DRIVER, *args], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    return wall, int(done.stderr.strip().splitlines()[-1]), done.stdout


def imports_of(*args: str) -> set[str]:
    """Top-level packages ``mcsim args`` imports (``python -X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "simlib.cli.main", *args],
                          capture_output=True, text=True, cwd=ROOT)
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def main() -> int:
    alone = statistics.median(simulate_times()) * REPLICATIONS / WORKERS
    floor_before = simulate_median() * REPLICATIONS / WORKERS
    wall, _, out = mcsim("run", str(BASELINE), "--replications", str(REPLICATIONS),
                         "--jobs", str(WORKERS), "--format", "json")
    floor_after = simulate_median() * REPLICATIONS / WORKERS
    floor = (floor_before + floor_after) / 2
    assert json.loads(out)["replications"] == REPLICATIONS
    speed = wall / floor
    print(f"1. mcsim run, {REPLICATIONS} replications on {WORKERS} workers: {wall:.2f} s; "
          f"simulation floor {floor:.2f} s (median simulate() timed on {WORKERS} busy cores, "
          f"before {floor_before:.2f}, after {floor_after:.2f}; on one core alone "
          f"{alone:.2f}); ratio {speed:.2f} (bar 1.25)")

    small = mcsim("run", str(BASELINE), "--replications", str(MEMORY_SMALL), "--jobs", "2",
                  "--format", "json")[1]
    large = mcsim("run", str(BASELINE), "--replications", str(MEMORY_LARGE), "--jobs", "2",
                  "--format", "json")[1]
    memory = large / small
    print(f"2. peak memory of mcsim run: {MEMORY_SMALL} replications {small / 1024:.0f} MiB, "
          f"{MEMORY_LARGE} replications {large / 1024:.0f} MiB; ratio {memory:.2f} (bar 1.3)")

    proposal = ROOT / "examples" / "proposals" / "credit-good.yaml"
    badges = ROOT / "examples" / "badges" / "upload-with-errors.csv"
    heavy = {"simpy", "scipy"}
    found = {
        "check-proposal": imports_of("check-proposal", str(proposal)) & heavy,
        "badges validate": imports_of("badges", "validate", str(badges)) & heavy,
    }
    clean = not any(found.values())
    print("3. imports: " + "; ".join(
        f"mcsim {name}: {', '.join(sorted(names)) or 'neither simpy nor scipy'}"
        for name, names in found.items()))

    engine = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_engine.py")],
                            capture_output=True, text=True, cwd=ROOT)
    ratios = [line for line in engine.stdout.splitlines() if line.startswith("ratio")]
    print("4. engine against hand-written SimPy (bench_engine.py): "
          + (ratios[-1] if ratios else engine.stderr.strip()[-200:]) + " (bar 1.5)")

    plan_wall, _, plan_out = mcsim("plan", str(BASELINE), "--pathway", "credit", "--level",
                                   "undergraduate", "--launch", "2027-08-23", "--jobs",
                                   str(WORKERS), "--format", "json")
    plan = json.loads(plan_out)
    run_wall = mcsim("run", str(BASELINE), "--replications", str(plan["replications"]),
                     "--jobs", str(WORKERS), "--format", "json")[0]
    print(f"5. mcsim plan, {plan['replications']} replications on {WORKERS} workers: "
          f"{plan_wall:.1f} s (latest submission {plan['latest_submission']}); mcsim run at "
          f"the same replications {run_wall:.1f} s; ratio {plan_wall / run_wall:.1f} "
          f"(bar 60 s)")

    with tempfile.TemporaryDirectory() as folder:
        fit_wall = mcsim("fit", str(ROOT / "examples" / "history.csv"), "--base",
                         str(BASELINE), "--out", str(Path(folder) / "fitted.yaml"),
                         "--format", "json")[0]
    print(f"6. mcsim fit of examples/history.csv (8 years, 154 proposals): {fit_wall:.1f} s "
          f"(bar 60 s)")
    uncertain = uncertainty_figures()
    frontier = frontier_figure()
    eventlog_memory = eventlog_figure()
    explorer = explorer_figure()
    page = page_figure()
    return 0 if (speed <= 1.25 and memory <= 1.3 and clean and engine.returncode == 0
                 and plan_wall <= 60 and fit_wall <= 60 and uncertain and frontier
                 and eventlog_memory <= 1.3 and explorer and page) else 1


def eventlog_figure() -> float:
    """Figure 10: peak memory of ``mcsim eventlog --format csv``, many replications over
    few; returns the ratio."""
    peaks, walls = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for count in (EVENTLOG_SMALL, EVENTLOG_LARGE):
            out = Path(folder) / f"log-{count}.csv"
            walls[count], peaks[count], _ = mcsim(
                "eventlog", str(BASELINE), "--replications", str(count), "--format", "csv",
                "--out", str(out), "--jobs", str(WORKERS))
            out.unlink()
    ratio = peaks[EVENTLOG_LARGE] / peaks[EVENTLOG_SMALL]
    print(f"10. peak memory of mcsim eventlog --format csv on {WORKERS} workers: "
          f"{EVENTLOG_SMALL:,} replications {peaks[EVENTLOG_SMALL] / 1024:.0f} MiB "
          f"({walls[EVENTLOG_SMALL]:.0f} s), {EVENTLOG_LARGE:,} replications "
          f"{peaks[EVENTLOG_LARGE] / 1024:.0f} MiB ({walls[EVENTLOG_LARGE]:.0f} s); ratio "
          f"{ratio:.2f} (bar 1.3)")
    return ratio


def uncertainty_figures() -> bool:
    """Figures 7 and 8: --uncertainty on compare and plan, calibrate --posterior."""
    whatif = ROOT / "scenarios" / "mc-weekly.yaml"
    compare_wall, _, out = mcsim("compare", str(BASELINE), str(whatif), "--uncertainty",
                                 "--jobs", str(WORKERS), "--format", "json")
    settings = json.loads(out)["uncertainty"]
    plan_wall, _, out = mcsim("plan", str(BASELINE), "--pathway", "credit", "--level",
                              "undergraduate", "--launch", "2027-08-23", "--uncertainty",
                              "--jobs", str(WORKERS), "--format", "json")
    plan = json.loads(out)
    print(f"7. --uncertainty on {WORKERS} workers: mcsim compare baseline mc-weekly "
          f"{compare_wall:.1f} s ({settings['draws']} draws x "
          f"{settings['replications_per_draw']} replications, each scenario); mcsim plan "
          f"{plan_wall:.1f} s ({plan['uncertainty']['draws']} draws x "
          f"{plan['uncertainty']['replications_per_draw']}; latest submission "
          f"{plan['latest_submission']}, range {plan['latest_submission_range']}) (bar 60 s "
          "each)")
    with tempfile.TemporaryDirectory() as folder:
        posterior_wall, _, out = mcsim("calibrate", str(BASELINE), "--posterior", "--out",
                                       str(Path(folder) / "baseline.yaml"), "--jobs",
                                       str(WORKERS), "--format", "json")
    diagnostics = json.loads(out)["diagnostics"]
    print(f"8. mcsim calibrate --posterior of the baseline on {WORKERS} workers: "
          f"{posterior_wall:.0f} s, {diagnostics.get('simulations', '?')} simulations, "
          f"effective sample size {diagnostics.get('ess', float('nan')):.0f} (bar 600 s)")
    return compare_wall <= 60 and plan_wall <= 60 and posterior_wall <= 600


def frontier_figure() -> bool:
    """Figure 9: the governance frontier (``mcsim optimize ... --pareto``) on 2 workers."""
    spec = ROOT / "scenarios" / "specs" / "governance.yaml"
    wall, _, out = mcsim("optimize", str(spec), "--pareto", "--jobs", str(WORKERS),
                         "--format", "json")
    found = json.loads(out)
    knee = found["knee"]["changes"] if found["knee"] else None
    print(f"9. mcsim optimize governance.yaml --pareto on {WORKERS} workers: {wall:.0f} s, "
          f"{found['configurations']} configurations x {found['replications']} replications, "
          f"{len(found['frontier'])} on the frontier, knee {knee} (bar 180 s)")
    return wall <= 180


def _timed_run(explorer: object) -> tuple[float, float]:
    """(seconds from Run to the first answer, to the end of the run: the range over the
    draws in) of one Run of ``explorer``."""
    previous = explorer.answer
    began = time.perf_counter()
    explorer.run()
    while explorer.answer is previous and explorer.run_button.disabled:  # disabled: running
        time.sleep(0.01)
    first = time.perf_counter() - began
    explorer.wait()
    assert explorer.status.value.startswith("Done:"), explorer.status.value
    return first, time.perf_counter() - began


def explorer_figure() -> bool:
    """Figure 11: the explorer in Python, Run to the first answer and to the range, twice."""
    from simlib.defaults import EXPLORE_REPLICATIONS
    from simlib.explorer import Explorer

    explorer = Explorer(BASELINE, BASELINE.parent, EXPLORE_REPLICATIONS, jobs=WORKERS)
    try:
        lever = next(lever for lever in explorer.levers if lever.path == "bodies.mc.meets")
        explorer.controls[lever.path].value = [label for label, _ in lever.choices].index(
            "every week")
        assert explorer.changes == {"bodies.mc.meets.every_weeks": 1}, explorer.changes
        (cold, cold_all), (warm, warm_all) = _timed_run(explorer), _timed_run(explorer)
    finally:
        explorer.close()
    print(f"11. explorer (Python), MC meets weekly, {EXPLORE_REPLICATIONS} replications on "
          f"{WORKERS} workers: first Run {cold:.1f} s to the first answer, {cold_all:.1f} s "
          f"to the range over the draws; second Run {warm:.1f} s and {warm_all:.1f} s "
          "(bar 5 s to the first answer, each Run)")
    return max(cold, warm) <= 5


def page_figure() -> bool:
    """Figure 12: the served page: the server's start, the page drawn, a Run's answer."""
    import explorer_page

    from simlib.defaults import EXPLORE_REPLICATIONS

    if explorer_page.chromium_path() is None:
        print("12. explorer page: not measured, no chromium on the PATH "
              "(apt-get install chromium) (bar 15 s)")
        return False
    began = time.perf_counter()
    with explorer_page.serve() as address, explorer_page.browser() as chromium:
        listening = time.perf_counter() - began
        drawn, page = explorer_page.time_to_render(chromium, address)
        page.choose("bodies.mc.meets", "every week")
        began = time.perf_counter()
        page.run()
        page.wait_first_answer()
        answered = time.perf_counter() - began
    print(f"12. explorer page (mcsim explore, headless Chromium): server listening after "
          f"{listening:.1f} s; page asked for to explorer drawn (kernel start and notebook "
          f"run) {drawn:.1f} s (bar 15 s); Run to the first answer, MC meets weekly at "
          f"{EXPLORE_REPLICATIONS} replications, {answered:.1f} s; requests to other hosts: "
          f"{len(page.outside)}")
    return drawn <= 15 and not page.outside


if __name__ == "__main__":
    sys.exit(main())
