"""One measurement per process, run by ``benchmarks/run.py`` (never imported by kerashape).

Usage: ``python benchmarks/_worker.py MODE [ARGS] [--repeats N]``, MODE one of

* ``load_ext``: the time of ``%load_ext kerashape`` in this fresh interpreter, and which
  heavy modules it imported;
* ``other_errors``: ``run_cell`` time of errors that are not shape errors, with the
  extension and without (interleaved blocks), and whether their tracebacks are identical;
* ``size``: facts + core for one shape error on a 1 KB array and on a 1 GiB ``np.memmap``
  (time, Python-heap peak, resident memory, memmap pages touched);
* ``scenario PATH``: one seed scenario: the panel first-in-kernel and warm, IPython's
  traceback of the same error, verify per fix, and the alternatives on the same error.

Each mode prints one line ``KERASHAPE-BENCH {json}`` at the end; everything else on
stdout/stderr (TensorFlow's log, tracebacks) is noise to the caller.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Optional

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

MARK = "KERASHAPE-BENCH "
HEAVY = ("tensorflow", "keras", "matplotlib", "ipywidgets")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]  # this checkout's kerashape, not another installed one

now = time.perf_counter


def emit(obj: Dict[str, Any]) -> None:
    sys.stdout.write("\n" + MARK + json.dumps(obj) + "\n")
    sys.stdout.flush()


def ms(seconds: float) -> float:
    return round(seconds * 1e3, 3)


def median_ms(values: List[float]) -> Optional[float]:
    return ms(statistics.median(values)) if values else None


@contextlib.contextmanager
def quiet():
    """Swallow what IPython, Keras and TensorFlow print."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield sink


def make_shell():
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.instance()


def load_case(path: str) -> Dict[str, Any]:
    ns: Dict[str, Any] = {}
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), ns)
    return ns


# --------------------------------------------------------------------------- 1. load_ext


def mode_load_ext(_args: argparse.Namespace) -> None:
    shell = make_shell()
    with quiet():
        shell.run_cell("1 + 1")  # the shell's own first-cell costs are not kerashape's
        t0 = now()
        result = shell.run_cell("%load_ext kerashape")
        elapsed = now() - t0
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
    emit({"load_ext_ms": ms(elapsed), "ok": bool(result.success), "heavy_modules": heavy})


# --------------------------------------------------------------------------- 2. other errors

OTHER_CELLS = {
    "ZeroDivisionError": "1/0",
    "KeyError": "{}['kerashape_bench_missing']",
    "NameError": "kerashape_bench_undefined_name",
    "ValueError, not a shape error": "int('kerashape')",
    # issue 10, item 5: messages of about 10 MB (DESIGN.md: <= 1 ms added "whatever its message,
    # 10 MB included"); built once by OTHER_SETUP so that the cell itself costs nothing
    "ValueError, 10 MB 'Layer a expects 1 input(s)' x 370k": "raise ValueError(_kerashape_bench_10mb[0])",
    "ValueError, 10 MB 'shape ' x 1.7M": "raise ValueError(_kerashape_bench_10mb[1])",
    "ValueError, 10 MB unclosed quote": "raise ValueError(_kerashape_bench_10mb[2])",
    "ValueError, 10 MB 'Invalid input shape for input' x 340k": "raise ValueError(_kerashape_bench_10mb[3])",
}
OTHER_SETUP = (
    "_kerashape_bench_10mb = ['Layer a expects 1 input(s)' * 370_000, 'shape ' * 1_700_000, "
    "'Input 0 of layer \"' + 'x' * 10_000_000, 'Invalid input shape for input ' * 340_000]"
)


def _normalise(text: str) -> str:
    import re

    return re.sub(r"In\s*\[\d+\]", "In[N]", text)


def mode_other_errors(args: argparse.Namespace) -> None:
    """Each iteration runs every cell once without and once with the extension (the order
    alternating), so that the machine's noise falls on both sides alike. Times are the
    main thread's CPU time (what the extension can add; other processes on a shared
    machine do not count) and wall time; ratios and added times are medians over the
    iterations of (with / without) and (with - without); ``direct_ms`` is the time spent inside
    kerashape's own code (its pre_run_cell callback and, for errors of the types it
    watches, its check that the message is a shape error), timed by wrapping them.
    """
    # A Keras notebook: TensorFlow is imported, so the hook also watches OpError.
    import keras  # noqa: F401
    import tensorflow  # noqa: F401

    import kerashape_magic._hook as hook

    inside = [0.0]

    def timed(fn: Callable) -> Callable:
        def wrapper(*a: Any, **k: Any) -> Any:
            t0 = now()
            try:
                return fn(*a, **k)
            finally:
                inside[0] += now() - t0

        wrapper.__name__ = fn.__name__
        return wrapper

    hook._refresh_types = timed(hook._refresh_types)
    hook._is_ours = timed(hook._is_ours)

    shell = make_shell()
    with quiet():
        shell.run_cell(OTHER_SETUP)
    keys = ("wall", "cpu")
    times: Dict[str, Dict[str, Dict[str, List[float]]]] = {
        c: {s: {k: [] for k in keys} for s in ("without", "with")} for c in OTHER_CELLS
    }
    direct: Dict[str, List[float]] = {c: [] for c in OTHER_CELLS}
    texts: Dict[str, Dict[str, str]] = {c: {} for c in OTHER_CELLS}
    loaded = False

    def set_state(state: str) -> None:
        nonlocal loaded
        with quiet():
            if state == "with" and not loaded:
                shell.run_line_magic("load_ext", "kerashape")
                loaded = True
            elif state == "without" and loaded:
                shell.run_line_magic("unload_ext", "kerashape")
                loaded = False

    for name, cell in OTHER_CELLS.items():  # warm-up, and the texts to compare
        for state in ("without", "with"):
            set_state(state)
            for _ in range(3):
                with quiet() as out:
                    shell.run_cell(cell)
            texts[name][state] = _normalise(out.getvalue())
    sink = io.StringIO()
    for i in range(args.repeats):
        for state in ("without", "with") if i % 2 == 0 else ("with", "without"):
            set_state(state)
            for name, cell in OTHER_CELLS.items():
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    inside[0] = 0.0
                    t0, c0 = now(), time.thread_time()
                    shell.run_cell(cell)
                    c1, t1 = time.thread_time(), now()
                times[name][state]["wall"].append(t1 - t0)
                times[name][state]["cpu"].append(c1 - c0)
                if state == "with":
                    direct[name].append(inside[0])
                sink.seek(0)
                sink.truncate()
    set_state("without")
    out: Dict[str, Any] = {}
    for name, cell in OTHER_CELLS.items():
        med = {s: {k: statistics.median(times[name][s][k]) for k in keys} for s in ("without", "with")}
        # each iteration ran the cell once each way, next to each other: pair them
        pairs = {k: list(zip(times[name]["with"][k], times[name]["without"][k])) for k in keys}
        out[name] = {
            "cell": cell,
            "runs": len(times[name]["with"]["cpu"]),
            "cpu_without_ms": ms(med["without"]["cpu"]),
            "cpu_with_ms": ms(med["with"]["cpu"]),
            "ratio": round(statistics.median(a / b for a, b in pairs["cpu"]), 4),
            "added_ms": ms(statistics.median(a - b for a, b in pairs["cpu"])),
            "wall_without_ms": ms(med["without"]["wall"]),
            "wall_with_ms": ms(med["with"]["wall"]),
            "wall_ratio": round(statistics.median(a / b for a, b in pairs["wall"]), 4),
            "direct_ms": round(statistics.median(direct[name]) * 1e3, 4),
            "traceback_identical": texts[name]["with"] == texts[name]["without"],
        }
    emit({"cells": out})


# --------------------------------------------------------------------------- 3. size independence

SIZE_SETUP = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
from keras.layers import LSTM, Dense

def make_model():
    m = keras.Sequential([keras.Input((24, 3)), LSTM(8), Dense(1)])
    m.compile(optimizer="adam", loss="mse")
    return m

model_small = make_model()
model_large = make_model()
"""


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _mapped_kb(path: str) -> int:
    """Resident kB of this process's mappings of ``path`` (from /proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.split()
            if head and "-" in head[0] and len(head) >= 5:  # a mapping's header line
                inside = len(head) >= 6 and head[-1] == path
            elif inside and head and head[0] == "Rss:":
                total += int(head[1])
    return total


def mode_size(args: argparse.Namespace) -> None:
    import mmap
    import tempfile
    import tracemalloc

    import numpy as np

    shell = make_shell()
    with quiet():
        assert shell.run_cell(SIZE_SETUP).success
    tmp = tempfile.mkdtemp(prefix="kerashape-bench-")
    x_path, y_path = os.path.join(tmp, "x.f32"), os.path.join(tmp, "y.f32")
    per_sample = 24 * 2 * 4  # (24 timesteps, 2 features) float32: the model wants 3 features
    n_large = 2**30 // per_sample
    try:
        x_large = np.memmap(x_path, dtype="float32", mode="w+", shape=(n_large, 24, 2))
        y_large = np.memmap(y_path, dtype="float32", mode="w+", shape=(n_large, 1))
        x_small = np.random.rand(5, 24, 2).astype("float32")
        y_small = np.random.rand(5, 1).astype("float32")
        shell.user_ns.update(X_small=x_small, y_small=y_small, X_large=x_large, y_large=y_large)
        errors = {}
        fit_s = {}
        for size in ("small", "large"):
            t0 = now()
            with quiet():
                r = shell.run_cell("model_%s.fit(X_%s, y_%s, epochs=1, verbose=0)" % (size, size, size))
            fit_s[size] = now() - t0
            assert r.error_in_exec is not None, "the fit did not fail"
            errors[size] = r.error_in_exec

        from kerashape_magic.core import diagnose as core
        from kerashape_magic.facts import gather
        from kerashape_magic.pipeline import shape_exception

        def facts_core(e: BaseException):
            # pipeline.diagnose_error without verify (and without rendering)
            _exc, parsed = shape_exception(e)
            gathered = gather(e, e.__traceback__, shell.user_ns)
            return core.diagnose(parsed, gathered.facts, mode="error")

        def drop_pages() -> None:
            x_large._mmap.madvise(mmap.MADV_DONTNEED)  # Keras's fit read it all; start clean

        diagnoses = {size: facts_core(e) for size, e in errors.items()}
        times: Dict[str, List[float]] = {"small": [], "large": []}
        cpu: Dict[str, List[float]] = {"small": [], "large": []}
        for i in range(args.repeats):
            for size in ("small", "large") if i % 2 == 0 else ("large", "small"):
                t0, c0 = now(), time.thread_time()
                facts_core(errors[size])
                c1, t1 = time.thread_time(), now()
                times[size].append(t1 - t0)
                cpu[size].append(c1 - c0)
        memory = {}
        for size in ("small", "large"):
            drop_pages()
            rss0, mapped0 = _rss_mb(), _mapped_kb(x_path)
            tracemalloc.start()
            base = tracemalloc.get_traced_memory()[0]
            facts_core(errors[size])
            peak = tracemalloc.get_traced_memory()[1] - base
            tracemalloc.stop()
            memory[size] = {
                "tracemalloc_peak_mb": round(peak / 2**20, 3),
                "rss_added_mb": round(max(_rss_mb() - rss0, 0.0), 3),
                "memmap_resident_kb_before": mapped0,
                "memmap_resident_kb_after": _mapped_kb(x_path),
            }
        small, large = statistics.median(times["small"]), statistics.median(times["large"])
        small_cpu, large_cpu = statistics.median(cpu["small"]), statistics.median(cpu["large"])
        d_small, d_large = diagnoses["small"], diagnoses["large"]
        emit(
            {
                "array_bytes": {"small": int(x_small.nbytes), "large": int(x_large.nbytes)},
                "shapes": {"small": list(x_small.shape), "large": list(x_large.shape)},
                "keras_fit_until_error_s": {k: round(v, 2) for k, v in fit_s.items()},
                "kind": {"small": d_small and d_small.kind, "large": d_large and d_large.kind},
                "facts_core_ms": {"small": ms(small), "large": ms(large)},
                "facts_core_cpu_ms": {"small": ms(small_cpu), "large": ms(large_cpu)},
                "repeats": args.repeats,
                # the main thread's CPU time: facts + core is single-threaded Python, and CPU
                # time is what the data's size could change; wall time is noise-prone here
                "size_independence_ratio": round(large_cpu / small_cpu, 3),
                "size_independence_ratio_wall": round(large / small, 3),
                "memory": memory,
                "added_peak_mb": max(
                    max(m["tracemalloc_peak_mb"], m["rss_added_mb"]) for m in memory.values()
                ),
            }
        )
    finally:
        for p in (x_path, y_path):
            with contextlib.suppress(OSError):
                os.remove(p)
        with contextlib.suppress(OSError):
            os.rmdir(tmp)


# --------------------------------------------------------------------------- 4-6. one scenario


class Recorder:
    """Times verify and each fix's check by wrapping kerashape's own functions in place."""

    def __init__(self) -> None:
        import kerashape_magic.pipeline as pipeline
        import kerashape_magic.verify as verify_mod
        from kerashape_magic.facts import shape_of

        self.verify_s = 0.0
        self.fixes: List[Dict[str, Any]] = []
        self._slice: Dict[str, Any] = {}
        orig_verify, orig_fix = pipeline.verify, verify_mod.verify_fix
        orig_check, orig_rerun = verify_mod._check_model, verify_mod._rerun_constructor

        def timed_verify(*a: Any, **k: Any) -> Any:
            t0 = now()
            try:
                return orig_verify(*a, **k)
            finally:
                self.verify_s += now() - t0

        def timed_fix(fix: Any, *a: Any, **k: Any) -> Any:
            self._slice = {}
            t0 = now()
            result = orig_fix(fix, *a, **k)
            self.fixes.append(
                {
                    "kind": fix.kind,
                    "title": fix.title,
                    "verified": bool(result.verified),
                    "ms": ms(now() - t0),
                    **self._slice,
                }
            )
            return result

        def shape(obj: Any) -> Optional[list]:
            s = shape_of(obj)
            return list(s) if s is not None else None

        def check(candidate: Any, xs: Any, ys: Any, loss_model: Any) -> Any:
            self._slice = {"slice_x": shape(xs), "slice_y": shape(ys) if ys is not None else None}
            return orig_check(candidate, xs, ys, loss_model)

        def rerun(gathered: Any, fix: Any, fixed: Any) -> Any:
            self._slice = {"slice_x": shape(fixed), "slice_y": None, "reran": gathered.facts.call.source}
            return orig_rerun(gathered, fix, fixed)

        pipeline.verify = timed_verify
        verify_mod.verify_fix = timed_fix
        verify_mod._check_model = check
        verify_mod._rerun_constructor = rerun

    def reset(self) -> None:
        self.verify_s = 0.0
        self.fixes = []


def _panel(
    shell: Any, case: Dict[str, Any], error: Optional[BaseException], rec: Recorder, clear_cube: bool = True
) -> Dict[str, Any]:
    """One panel from scratch: what the hook does after the traceback, the widget built.

    For an error: the hook's check that it is a shape error, ``diagnose_error`` (facts,
    core, verify) and the MIME bundle with the ipywidgets panel (text, HTML with the cube
    PNG, widget). For a pre-flight case: ``check_objects`` and the same bundle.
    """
    cube = sys.modules.get("kerashape_magic.render.cube")
    if clear_cube and cube is not None:  # the cube is drawn, not taken from the cache of an equal diagnosis
        cube._cached_png.cache_clear()
    rec.reset()
    t0, c0 = now(), time.process_time()
    if error is not None:
        from kerashape_magic._hook import _is_ours
        from kerashape_magic.pipeline import diagnose_error

        assert _is_ours(error)
        d = diagnose_error(error, tb=error.__traceback__, user_ns=shell.user_ns)
    else:
        from kerashape_magic.pipeline import check_objects

        d = check_objects(*shell.ev(case["CHECK"]), user_ns=shell.user_ns)
    t1 = now()
    from kerashape_magic.render import WIDGET_MIME, bundles

    bs = bundles(d, widget=True) if d is not None else []
    t2, c2 = now(), time.process_time()
    return {
        "d": d,
        "total_ms": ms(t2 - t0),
        "cpu_ms": ms(c2 - c0),  # all threads of the process (TensorFlow runs ops on several)
        "facts_core_ms": ms(t1 - t0 - rec.verify_s),
        "verify_ms": ms(rec.verify_s),
        "render_ms": ms(t2 - t1),
        "widget": any(WIDGET_MIME in b for b in bs),
        "fixes": list(rec.fixes),
    }


def mode_scenario(args: argparse.Namespace) -> None:
    import analyse

    case = load_case(args.path)
    name = os.path.basename(args.path)[:-3]
    shell = make_shell()
    out: Dict[str, Any] = {"scenario": name, "mode": "check" if case.get("CHECK") else "error"}
    with quiet():
        shell.run_line_magic("load_ext", "kerashape")  # as the user does: first thing
        t0 = now()
        assert shell.run_cell(case["SETUP"]).success, "SETUP failed"
        out["setup_s"] = round(now() - t0, 2)
    import kerashape_magic._state as state

    def fail() -> Optional[BaseException]:
        """Run the case's cell as the user does (the hook switched off: its work is timed
        separately, stage by stage); return the error it raised."""
        if case.get("CHECK"):
            if case.get("CELL"):
                with quiet():
                    shell.run_cell(case["CELL"])
            return None
        state.enabled = False
        try:
            with quiet():
                r = shell.run_cell(case["CELL"])
        finally:
            state.enabled = True
        assert r.error_in_exec is not None, "the failing cell did not fail"
        return r.error_in_exec

    def stats(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
        keys = ("total_ms", "cpu_ms", "facts_core_ms", "verify_ms", "render_ms")
        return {**{k: median_ms([r[k] / 1e3 for r in runs]) for k in keys}, "runs": len(runs)}

    error = fail()
    t0 = now()
    rec = Recorder()  # imports kerashape's pipeline, as the hook's first shape error does
    imports = now() - t0
    with quiet():
        first = _panel(shell, case, error, rec)
    first["total_ms"] = ms(first["total_ms"] / 1e3 + imports)
    first["facts_core_ms"] = ms(first["facts_core_ms"] / 1e3 + imports)
    # warm: the same cells run again in this kernel (new model and data objects, as when a
    # user re-runs the notebook), and the panel for the new error, its cube drawn anew
    warm = []
    for _ in range(args.repeats):
        with quiet():
            assert shell.run_cell(case["SETUP"]).success, "SETUP failed"
        error = fail()
        with quiet():
            warm.append(_panel(shell, case, error, rec))
    # new model: the same, with the graphs kerashape traced for this architecture dropped
    # first, as for a model the kernel has not verified yet (TensorFlow, Keras and
    # matplotlib warm; each recurrent model and input shape traced anew)
    import kerashape_magic.verify as verify_mod

    new_model = []
    for _ in range(args.repeats):
        with quiet():
            assert shell.run_cell(case["SETUP"]).success, "SETUP failed"
        error = fail()
        verify_mod._shared_graphs.clear()
        with quiet():
            new_model.append(_panel(shell, case, error, rec))
    # repeat: the panel for that very error again, kerashape's caches as they are
    with quiet():
        repeat = [_panel(shell, case, error, rec, clear_cube=False) for _ in range(max(args.repeats, 1))]
    d = repeat[-1]["d"] if repeat else first["d"]  # the diagnosis of `error`, for the alternatives
    first.pop("d")
    out["kind"] = d.kind if d is not None else None
    out["first"] = first
    out["warm"] = stats(warm)
    out["repeat"] = stats(repeat)
    out["new_model"] = stats(new_model)
    out["widget"] = first["widget"]
    fixes = []
    for i, f in enumerate(first.pop("fixes")):
        runs = [w["fixes"][i]["ms"] for w in warm if len(w["fixes"]) > i]
        again = [w["fixes"][i]["ms"] for w in repeat if len(w["fixes"]) > i]
        first_ms = f.pop("ms")
        fixes.append(
            {
                **f,
                "first_ms": first_ms,
                "warm_ms": round(statistics.median(runs), 3) if runs else None,
                "repeat_ms": round(statistics.median(again), 3) if again else None,
            }
        )
    out["verify_fixes"] = fixes
    if error is not None:
        tb_times = []
        with quiet():
            for _ in range(args.repeats + 1):
                t0 = now()
                shell.showtraceback((type(error), error, error.__traceback__), running_compiled_code=True)
                tb_times.append(now() - t0)
        out["traceback_ms"] = {"first": ms(tb_times[0]), "warm": median_ms(tb_times[1:])}
    out["alternatives"] = analyse.alternatives(shell, case, error, d, out, args.repeats)
    emit(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("load_ext", "other_errors", "size", "scenario"))
    ap.add_argument("path", nargs="?")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    modes: Dict[str, Callable[[argparse.Namespace], None]] = {
        "load_ext": mode_load_ext,
        "other_errors": mode_other_errors,
        "size": mode_size,
        "scenario": mode_scenario,
    }
    modes[args.mode](args)


if __name__ == "__main__":
    main()
