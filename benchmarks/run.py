#!/usr/bin/env python
"""The budgets of DESIGN.md, measured in one run on this machine, with the alternatives.

    python benchmarks/run.py            # about 5-10 minutes on 2 cores
    python benchmarks/run.py --quick    # fewer repeats, about 3-5 minutes

Prints a table and writes ``benchmarks/results.json`` (and ``benchmarks/results.md``, the
table the README shows). Every figure comes from fresh subprocesses started by this script
(``benchmarks/_worker.py``), one after another so that they do not compete for the two
cores. Shared machines are noisy: figures are medians, and the budgets that matter are
read as ratios taken in the same run. Nothing here is asserted; a missed budget is shown
as ``MISS``.

The kerashape measured is the one in this checkout (the folder above ``benchmarks/``),
whatever else is installed. friendly-traceback and tensor-sensor are measured where they
are installed (``pip install -r benchmarks/requirements.txt``); otherwise their entries
say why not.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKER = os.path.join(HERE, "_worker.py")
MARK = "KERASHAPE-BENCH "

BUDGETS = {
    "load_ext_ms": 50.0,
    "other_error_overhead_ratio": 1.05,
    "other_error_added_ms": 1.0,
    "facts_core_ms": 20.0,
    "size_independence_ratio": 1.2,
    "added_peak_mb": 10.0,
    "panel_warm_ms": 250.0,
    "silent_plain_cell_ms": 0.1,
    "silent_fit_compare_ms": 5.0,
}


# --------------------------------------------------------------------------- running workers


def run_worker(*args: str, timeout: float = 1200) -> Dict[str, Any]:
    """Run ``_worker.py ARGS`` in a fresh interpreter; return its report (or the error)."""
    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="3",
        PYTHONPATH=os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH", "")) if p),
    )
    env.setdefault("MPLBACKEND", "Agg")
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, WORKER, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out after %d s" % timeout}
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        return {"error": "exit %d: %s" % (proc.returncode, " | ".join(tail)[-600:])}
    report = json.loads(lines[-1][len(MARK) :])
    report["wall_s"] = round(time.perf_counter() - t0, 1)
    return report


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine


def _version(*dists: str) -> Optional[str]:
    from importlib import metadata

    for dist in dists:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def machine() -> Dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            models = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count()
    commit = None
    try:

        def git(*args: str) -> str:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()

        commit = git("rev-parse", "--short", "HEAD") or None
        # changed files other than the results this command writes (a re-run rewrites them)
        changed = git("status", "--porcelain", "--", ".", ":(exclude)benchmarks/results.*")
        if commit and changed:
            commit += "-dirty"
    except Exception:
        pass
    return {
        "cpu": cpu,
        "cores": cores,
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow", "tensorflow-cpu"),
        "keras": _version("keras"),
        "ipython": _version("ipython"),
        "numpy": _version("numpy"),
        "matplotlib": _version("matplotlib"),
        "ipywidgets": _version("ipywidgets"),
        "kerashape_commit": commit,
        "load_average_start": list(os.getloadavg()),
    }


# --------------------------------------------------------------------------- sections


def measure_load_ext(runs: int) -> Dict[str, Any]:
    reports = [run_worker("load_ext", timeout=300) for _ in range(runs)]
    good = [r for r in reports if "error" not in r]
    if not good:
        return {"error": reports[0]["error"]}
    heavy = sorted({m for r in good for m in r["heavy_modules"]})
    times = [r["load_ext_ms"] for r in good]
    return {
        "load_ext_ms": round(statistics.median(times), 2),
        "runs_ms": times,
        "heavy_modules": heavy,
        "ok": all(r["ok"] for r in good),
    }


def measure_other_errors(blocks: int) -> Dict[str, Any]:
    r = run_worker("other_errors", "--repeats", str(blocks), timeout=900)
    if "error" in r:
        return r
    cells = r["cells"]
    huge = [c for name, c in cells.items() if "10 MB" in name]
    return {
        "added_ms_10mb_max": max((c["added_ms"] for c in huge), default=None),
        "direct_ms_10mb_max": max((c["direct_ms"] for c in huge), default=None),
        "other_error_overhead_ratio": max(c["ratio"] for c in cells.values()),
        "added_ms_max": max(c["added_ms"] for c in cells.values()),
        "direct_ms_max": max(c["direct_ms"] for c in cells.values()),
        "traceback_identical": all(c["traceback_identical"] for c in cells.values()),
        "cells": cells,
    }


def measure_size(repeats: int) -> Dict[str, Any]:
    return run_worker("size", "--repeats", str(repeats), timeout=900)


def measure_scenarios(paths: List[str], repeats: int) -> List[Dict[str, Any]]:
    out = []
    for path in paths:
        name = os.path.basename(path)[:-3]
        note("  %s ..." % name)
        r = run_worker("scenario", path, "--repeats", str(repeats))
        r.setdefault("scenario", name)
        out.append(r)
    return out


#: Warnings after successful cells (kerashape_magic/silent.py), measured in one fresh process:
#: what ``post_run_cell`` adds to a cell with no model call (the string test before any parsing),
#: and to a ``fit`` cell (parsing, names, the comparison ``check`` makes; verification apart).
SILENT_SCRIPT = r"""
import json, os, statistics, time, io, contextlib
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
quiet = io.StringIO()
SETUP = '''import numpy as np
import keras
from keras import layers
X_train = np.random.rand(100, 48, 3)
y_train = np.random.rand(100, 1)
X_ok = np.random.rand(100, 24, 3)
model = keras.Sequential([keras.Input((24, 3)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
'''
with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
    shell.run_line_magic("load_ext", "kerashape")
    assert shell.run_cell(SETUP, store_history=True).success
    assert shell.run_cell("model.fit(X_ok, y_train, epochs=1, verbose=0)", store_history=True).success
from kerashape_magic import _hook, silent

# a long notebook's namespace: IPython's input history names and a hundred variables
for i in range(600):
    shell.user_ns["_i%d" % i] = "x = %d" % i
for i in range(100):
    shell.user_ns["var%d" % i] = float(i)
from kerashape_magic.render import warning as render_warning


class Info:
    def __init__(self, text):
        self.raw_cell = text


class Result:
    success = True

    def __init__(self, text):
        self.info = Info(text)


def per_call_ms(fn, n):
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


plain = {
    "x = 1": Result("x = 1"),
    "print(len(X_ok))": Result("print(len(X_ok))"),
    "10 KB of arithmetic": Result("a = 1\n" + "b = a * 2 + (a - 3)\n" * 500),
}
out = {"plain_ms": {k: per_call_ms(lambda r=r: _hook._after_cell(r), 2000) for k, r in plain.items()}}
ok_fit = Result("model.fit(X_ok, y_train, epochs=1, verbose=0)")
out["fit_fits_ms"] = per_call_ms(lambda: _hook._after_cell(ok_fit), 200)
cell = "model.fit(X_train, y_train, epochs=1, verbose=0)"


def comparison():
    call = silent.model_calls(cell, shell.user_ns)[0]
    return silent.compare(call, shell.user_ns, False)


out["fit_compare_ms"] = per_call_ms(comparison, 200)
gathered, d = comparison()
assert silent.definite(d), d
times = []
for _ in range(5):
    gathered, d = comparison()
    t = time.perf_counter()
    done = silent.finish(d, gathered)
    times.append(time.perf_counter() - t)
out["fit_verify_ms"] = statistics.median(times) * 1e3
out["verified_fixes"] = sum(f.verified for f in done.fixes)
t = time.perf_counter()
render_warning.warning_bundle(done)
out["render_ms"] = (time.perf_counter() - t) * 1e3
print("KERASHAPE-BENCH " + json.dumps(out))
"""


def measure_silent() -> Dict[str, Any]:
    """Warnings after successful cells: run :data:`SILENT_SCRIPT` in a fresh interpreter."""
    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="3",
        PYTHONPATH=os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH", "")) if p),
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", SILENT_SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 600 s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        return {"error": "exit %d: %s" % (proc.returncode, " | ".join(tail)[-600:])}
    return json.loads(lines[-1][len(MARK) :])


def silent_rows(results: Dict[str, Any]) -> List[List[str]]:
    """Rows for the warnings after successful cells (budgets: issue 12)."""
    si = results.get("silent")
    if not si:
        return []
    if "error" in si:
        return [["silent warnings", "ERROR", si["error"][:70], "MISS"]]
    worst = max(si["plain_ms"].values())
    return [
        [
            "silent: added to a cell with no model call, ms (worst of %d cells)" % len(si["plain_ms"]),
            _f(worst, 4),
            "<= 0.1",
            _status(worst <= BUDGETS["silent_plain_cell_ms"]),
        ],
        [
            "silent: fit cell, data fits: added ms (parse + comparison)",
            _f(si["fit_fits_ms"], 2),
            "<= 5",
            _status(si["fit_fits_ms"] <= BUDGETS["silent_fit_compare_ms"]),
        ],
        [
            "silent: fit cell, 48 steps into 24: comparison ms",
            _f(si["fit_compare_ms"], 2),
            "<= 5",
            _status(si["fit_compare_ms"] <= BUDGETS["silent_fit_compare_ms"]),
        ],
        [
            "  then verification + edits, ms (%d verified fixes)" % si["verified_fixes"],
            _f(si["fit_verify_ms"], 1),
            "<= 250",
            _status(si["fit_verify_ms"] <= BUDGETS["panel_warm_ms"]),
        ],
        ["  then the warning's text + HTML, ms", _f(si["render_ms"], 1), "-", "n/a"],
    ]


# --------------------------------------------------------------------------- report


def _status(ok: Optional[bool]) -> str:
    return "n/a" if ok is None else "ok" if ok else "MISS"


def _yes(value: Any) -> str:
    return {True: "yes", False: "no", None: "n/a"}.get(value, str(value))


def _f(value: Any, digits: int = 1) -> str:
    return "-" if value is None else ("%.*f" % (digits, value))


def summary(results: Dict[str, Any]) -> List[List[str]]:
    """Rows ``[figure, value, budget, status]`` for the budgets of DESIGN.md."""
    rows: List[List[str]] = []
    for section in ("load_ext", "other_errors", "size"):
        if "error" in results.get(section, {}):
            rows.append([section, "ERROR", results[section]["error"][:70], "MISS"])
    le = results.get("load_ext", {})
    if le and "error" not in le:
        rows.append(
            [
                "load_ext_ms (median of %d fresh processes)" % len(le["runs_ms"]),
                _f(le["load_ext_ms"]),
                "<= 50",
                _status(le["load_ext_ms"] <= BUDGETS["load_ext_ms"]),
            ]
        )
        rows.append(
            [
                "heavy_modules imported by %load_ext",
                ", ".join(le["heavy_modules"]) or "none",
                "none",
                _status(not le["heavy_modules"]),
            ]
        )
    oe = results.get("other_errors", {})
    if oe and "error" not in oe:
        rows.append(
            [
                "other_error_overhead_ratio (CPU time, worst cell)",
                _f(oe["other_error_overhead_ratio"], 3),
                "<= 1.05",
                _status(oe["other_error_overhead_ratio"] <= BUDGETS["other_error_overhead_ratio"]),
            ]
        )
        rows.append(
            [
                "  added per other error, ms (worst cell)",
                _f(oe["added_ms_max"], 3),
                "<= 1",
                _status(oe["added_ms_max"] <= BUDGETS["other_error_added_ms"]),
            ]
        )
        rows.append(
            [
                "  time inside kerashape's code, ms (worst cell)",
                _f(oe["direct_ms_max"], 4),
                "<= 1",
                _status(oe["direct_ms_max"] <= BUDGETS["other_error_added_ms"]),
            ]
        )
        if oe.get("added_ms_10mb_max") is not None:
            rows.append(
                [
                    "  added per 10 MB message, ms (worst of 4 hostile messages)",
                    _f(oe["added_ms_10mb_max"], 3),
                    "<= 1",
                    _status(oe["added_ms_10mb_max"] <= BUDGETS["other_error_added_ms"]),
                ]
            )
            rows.append(
                [
                    "  time inside kerashape's code, 10 MB messages, ms (worst)",
                    _f(oe["direct_ms_10mb_max"], 4),
                    "<= 1",
                    _status(oe["direct_ms_10mb_max"] <= BUDGETS["other_error_added_ms"]),
                ]
            )
        rows.append(
            [
                "  traceback identical with/without",
                _yes(oe["traceback_identical"]),
                "yes",
                _status(oe["traceback_identical"]),
            ]
        )
    sz = results.get("size", {})
    if "error" not in sz and sz:
        fc, cpu = sz["facts_core_ms"], sz["facts_core_cpu_ms"]
        rows.append(
            [
                "facts+core ms wall, 1 KB array / 1 GiB memmap",
                "%s / %s" % (_f(fc["small"], 2), _f(fc["large"], 2)),
                "<= 20",
                _status(max(fc.values()) <= BUDGETS["facts_core_ms"]),
            ]
        )
        rows.append(
            [
                "facts+core ms CPU, 1 KB array / 1 GiB memmap",
                "%s / %s" % (_f(cpu["small"], 2), _f(cpu["large"], 2)),
                "<= 20",
                _status(max(cpu.values()) <= BUDGETS["facts_core_ms"]),
            ]
        )
        rows.append(
            [
                "size_independence_ratio (CPU, 1 GiB / 1 KB)",
                _f(sz["size_independence_ratio"], 3),
                "<= 1.2",
                _status(sz["size_independence_ratio"] <= BUDGETS["size_independence_ratio"]),
            ]
        )
        rows.append(
            [
                "  the same ratio in wall time",
                _f(sz["size_independence_ratio_wall"], 3),
                "<= 1.2",
                _status(sz["size_independence_ratio_wall"] <= BUDGETS["size_independence_ratio"]),
            ]
        )
        rows.append(
            [
                "added_peak_mb (facts+core on the memmap)",
                _f(sz["added_peak_mb"], 3),
                "<= 10",
                _status(sz["added_peak_mb"] <= BUDGETS["added_peak_mb"]),
            ]
        )
        touched = sz["memory"]["large"]["memmap_resident_kb_after"]
        rows.append(
            ["  memmap pages read by facts+core, kB", str(touched), "rows only", _status(touched <= 1024)]
        )
    scen = [s for s in results.get("scenarios", []) if "error" not in s]
    if scen:
        worst = max(scen, key=lambda s: s["warm"]["total_ms"])
        rows.append(
            [
                "panel_ms warm, worst seed (%s)" % worst["scenario"],
                _f(worst["warm"]["total_ms"]),
                "<= 250",
                _status(worst["warm"]["total_ms"] <= BUDGETS["panel_warm_ms"]),
            ]
        )
        over = [s["scenario"] for s in scen if s["warm"]["total_ms"] > BUDGETS["panel_warm_ms"]]
        rows.append(["  seeds over 250 ms warm", "%d of %d" % (len(over), len(scen)), "0", _status(not over)])
        worst_cpu = max(scen, key=lambda s: s["warm"]["cpu_ms"])
        rows.append(
            [
                "  warm CPU time, worst seed (%s)" % worst_cpu["scenario"],
                _f(worst_cpu["warm"]["cpu_ms"]),
                "<= 250",
                _status(worst_cpu["warm"]["cpu_ms"] <= BUDGETS["panel_warm_ms"]),
            ]
        )
        fresh = [s for s in scen if "new_model" in s]
        if fresh:
            worst_new = max(fresh, key=lambda s: s["new_model"]["total_ms"])
            over_new = [s for s in fresh if s["new_model"]["total_ms"] > BUDGETS["panel_warm_ms"]]
            rows.append(
                [
                    "panel_ms warm, model new to kerashape, worst seed (%s)" % worst_new["scenario"],
                    _f(worst_new["new_model"]["total_ms"]),
                    "(<= 250)",
                    "info: %d of %d over" % (len(over_new), len(fresh)),
                ]
            )
        first = max(scen, key=lambda s: s["first"]["total_ms"])
        rows.append(
            [
                "panel_ms first in kernel, worst seed (%s)" % first["scenario"],
                _f(first["first"]["total_ms"]),
                "warm + imports",
                "n/a",
            ]
        )
    rows += silent_rows(results)
    return rows


def panel_rows(results: Dict[str, Any]) -> List[List[str]]:
    rows = []
    for s in results.get("scenarios", []):
        if "error" in s:
            rows.append([s["scenario"], "ERROR", s["error"][:80]] + [""] * 9)
            continue
        w, f = s["warm"], s["first"]
        tb = s.get("traceback_ms", {}).get("warm")
        rows.append(
            [
                s["scenario"],
                s["mode"],
                _f(f["total_ms"], 0),
                _f(w["total_ms"], 0),
                _f(w["cpu_ms"], 0),
                _f(s["repeat"]["total_ms"], 0),
                _f(s.get("new_model", {}).get("total_ms"), 0),
                _f(w["facts_core_ms"], 1),
                _f(w["verify_ms"], 0),
                _f(w["render_ms"], 0),
                _f(tb, 0),
                _f(w["total_ms"] / tb, 2) if tb else "-",
            ]
        )
    return rows


def verify_rows(results: Dict[str, Any]) -> List[List[str]]:
    rows = []
    for s in results.get("scenarios", []):
        for f in s.get("verify_fixes", []):
            sl = "x%s" % (tuple(f["slice_x"]),) if f.get("slice_x") else "-"
            if f.get("slice_y"):
                sl += " y%s" % (tuple(f["slice_y"]),)
            rows.append(
                [
                    s["scenario"],
                    f["kind"],
                    _yes(f["verified"]),
                    sl.replace(",)", ")"),
                    _f(f["first_ms"], 0),
                    _f(f["warm_ms"], 0),
                    _f(f.get("repeat_ms"), 0),
                ]
            )
    return rows


def _score(entry: Dict[str, Any]) -> str:
    if entry.get("available") not in (None, True):
        return str(entry["available"])[:40]
    marks = [
        "layer" if entry.get("names_layer") else "-",
        "both shapes"
        if entry.get("received_shape") and entry.get("expected_shape")
        else "received"
        if entry.get("received_shape")
        else "expected"
        if entry.get("expected_shape")
        else "no shapes",
        "fix:%s" % entry.get("fix", "no"),
    ]
    return " ".join(marks)


def alternative_rows(results: Dict[str, Any]) -> List[List[str]]:
    rows = []
    for s in results.get("scenarios", []):
        alt = s.get("alternatives")
        if not alt:
            continue
        keras = alt["keras"]
        k = _score(keras) if keras.get("text") else "raises nothing"
        fr, ts, ks = alt["friendly_traceback"], alt["tensor_sensor"], alt["kerashape"]
        fr_text = _score(fr)
        if fr.get("available") is True:
            fr_text = "%s ms, %s%s" % (
                _f(fr["warm_ms"], 0),
                fr_text,
                "" if fr["knows_cause"] else ", cause unknown",
            )
        ts_text = _score(ts)
        if ts.get("available") is True:
            ts_text = (
                "%s ms, crashed (%s)" % (_f(ts["ms"], 0), ts["result"].split(":")[1].strip())
                if ts.get("crashed")
                else "%s ms, %s%s"
                % (_f(ts["ms"], 0), ts_text, ", adds Cause:" if ts.get("added") else ", adds nothing")
            )
        ks_text = "%s ms, %s, %d verified" % (_f(ks["warm_ms"], 0), _score(ks), ks["verified_fixes"])
        rows.append([s["scenario"], k, fr_text, ts_text, ks_text])
    return rows


def table(header: List[str], rows: List[List[str]], markdown: bool = False) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
        lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    fmt = "  ".join("%%-%ds" % w for w in widths)
    out = [fmt % tuple(header), fmt % tuple("-" * w for w in widths)]
    out += [fmt % tuple(r) for r in rows]
    return "\n".join(line.rstrip() for line in out)


SECTIONS = (
    ("Budgets (DESIGN.md)", ["figure", "value", "budget", "status"], summary),
    (
        "Panels per seed scenario, ms. first: the first error in a fresh kernel; warm: the cells run again"
        " in that kernel (new objects), median; repeat: the same error again (caches hot); new model: as"
        " warm, with the graphs kerashape traced for this architecture dropped first; facts+core,"
        " verify, render: parts of warm; traceback: IPython's own traceback of the error",
        [
            "scenario",
            "mode",
            "first",
            "warm",
            "warm CPU",
            "repeat",
            "new model",
            "facts+core",
            "verify",
            "render",
            "traceback",
            "warm/tb",
        ],
        panel_rows,
    ),
    (
        "Verify per fix (slice = what the model was run on)",
        ["scenario", "fix", "verified", "slice", "first ms", "warm ms", "repeat ms"],
        verify_rows,
    ),
    (
        "Alternatives on the same errors (layer named? shapes named? fix: code / hint / no)",
        ["scenario", "plain Keras message", "friendly-traceback", "tensor-sensor", "kerashape"],
        alternative_rows,
    ),
)


def report(results: Dict[str, Any], markdown: bool = False) -> str:
    m = results["machine"]
    head = (
        "kerashape benchmarks, %s, %s, %s cores, Python %s, TensorFlow %s, Keras %s, IPython %s (commit %s)"
        % (
            results["date"],
            m["cpu"],
            m["cores"],
            m["python"],
            m["tensorflow"],
            m["keras"],
            m["ipython"],
            m["kerashape_commit"],
        )
    )
    load = "load average %s at the start, %s at the end" % (
        "/".join("%.1f" % x for x in m["load_average_start"]),
        "/".join("%.1f" % x for x in m["load_average_end"]),
    )
    parts = [head, load]
    for title, header, rows in SECTIONS:
        parts += [
            "",
            ("**%s**" % title) if markdown else "== " + title,
            "",
            table(header, rows(results), markdown),
        ]
    return "\n".join(parts)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats (about half the time)")
    ap.add_argument("-k", default="", help="only the seed scenarios whose name contains this")
    ap.add_argument(
        "--cases", default=os.path.join(ROOT, "tests", "cases"), help="folder of seed*.py scenarios"
    )
    ap.add_argument("--only", default="load_ext,other_errors,size,silent,scenarios", help="sections to run")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    ap.add_argument("--report", action="store_true", help="only print the table of an existing --out file")
    args = ap.parse_args(argv)
    if args.report:
        with open(args.out) as f:
            print(report(json.load(f)))
        return 0
    repeats = 3 if args.quick else 5
    only = set(args.only.split(","))
    results: Dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "quick": args.quick,
        "budgets": BUDGETS,
    }
    t0 = time.perf_counter()
    if "load_ext" in only:
        note("load_ext (fresh processes) ...")
        results["load_ext"] = measure_load_ext(5 if args.quick else 9)
    if "other_errors" in only:
        note("errors that are not shape errors, with and without the extension ...")
        results["other_errors"] = measure_other_errors(30 if args.quick else 60)
    if "size" in only:
        note(
            "facts + core on a 1 KB array and a 1 GiB memmap (Keras reads the memmap whole first: ~15 s) ..."
        )
        results["size"] = measure_size(60 if args.quick else 200)
    if "silent" in only:
        note("warnings after successful cells (one fresh process) ...")
        results["silent"] = measure_silent()
    if "scenarios" in only:
        paths = sorted(
            p for p in glob.glob(os.path.join(args.cases, "seed*.py")) if args.k in os.path.basename(p)
        )
        note("seed scenarios, one fresh kernel each (%d) ..." % len(paths))
        results["scenarios"] = measure_scenarios(paths, repeats)
    results["machine"]["load_average_end"] = list(os.getloadavg())
    results["runtime_s"] = round(time.perf_counter() - t0, 1)
    flat = _headline(results)
    results = {**flat, **results}
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1, sort_keys=False)
        f.write("\n")
    with open(os.path.splitext(args.out)[0] + ".md", "w") as f:
        f.write(report(results, markdown=True) + "\n")
    print(report(results))
    print("\nwrote %s (%.0f s)" % (os.path.relpath(args.out), results["runtime_s"]))
    return 0


def _headline(results: Dict[str, Any]) -> Dict[str, Any]:
    """The figures the issue names, at the top of results.json."""
    out: Dict[str, Any] = {}
    le, oe, sz = results.get("load_ext", {}), results.get("other_errors", {}), results.get("size", {})
    out["load_ext_ms"] = le.get("load_ext_ms")
    out["heavy_modules"] = le.get("heavy_modules")
    out["other_error_overhead_ratio"] = oe.get("other_error_overhead_ratio")
    out["size_independence_ratio"] = sz.get("size_independence_ratio")
    out["added_peak_mb"] = sz.get("added_peak_mb")
    si = results.get("silent", {})
    if si and "error" not in si:
        out["silent_plain_cell_ms"] = max(si["plain_ms"].values())
        out["silent_fit_compare_ms"] = si["fit_compare_ms"]
        out["silent_fit_fits_ms"] = si["fit_fits_ms"]
    scen = [s for s in results.get("scenarios", []) if "error" not in s]
    out["panel_ms"] = {
        s["scenario"]: {
            "first": s["first"]["total_ms"],
            "warm": s["warm"]["total_ms"],
            "repeat": s["repeat"]["total_ms"],
            "new_model": s.get("new_model", {}).get("total_ms"),
        }
        for s in scen
    }
    out["traceback_ms"] = {s["scenario"]: s["traceback_ms"]["warm"] for s in scen if "traceback_ms" in s}
    out["panel_over_traceback"] = {
        s["scenario"]: round(s["warm"]["total_ms"] / s["traceback_ms"]["warm"], 2)
        for s in scen
        if "traceback_ms" in s
    }
    out["verify_ms"] = {
        s["scenario"]: [
            {
                k: f.get(k)
                for k in ("kind", "verified", "slice_x", "slice_y", "first_ms", "warm_ms", "repeat_ms")
            }
            for f in s.get("verify_fixes", [])
        ]
        for s in scen
    }
    out["alternatives"] = {
        s["scenario"]: {
            tool: {k: v for k, v in entry.items() if k != "text"} for tool, entry in s["alternatives"].items()
        }
        for s in scen
        if s.get("alternatives")
    }
    return out


if __name__ == "__main__":
    sys.exit(main())
