"""What a user gets without kerashape, on the same error: read by the same yardstick.

Every output (the plain Keras message, friendly-traceback's explanation, tensor-sensor's
augmented message, kerashape's ``render_text``) is scored by :func:`score`:

* ``names_layer``: a layer (or model) of the user's model is named, quoted, as Keras does
  (``layer 'dense'``); a class name or a graph-node path (``lstm_1/lstm_cell_1/MatMul``) is
  not a name the user gave or can look up in ``model.summary()``;
* ``received_shape`` / ``expected_shape``: the full shape of the data / what the layer
  expects appears as a tuple or list (the batch size may be written as a number, ``None``,
  ``?`` or ``batch_size``; an axis may carry its name, ``timesteps=24``); the true shapes
  are kerashape's diagnosis of the case, which the acceptance cases check;
* ``fix``: ``"code"`` when the text shows code that changes the data or the model,
  ``"hint"`` for advice in words, ``"no"`` otherwise.

The alternatives are run only where they install and run here; otherwise their entry says
``"not available: <reason>"``.
"""

from __future__ import annotations

import contextlib
import io
import re
import statistics
import time
import traceback
from typing import Any, Dict, Iterable, List, Optional

now = time.perf_counter

_CODE = re.compile(
    r"\.reshape\(|np\.expand_dims\(|expand_dims\(|\bnp\.newaxis\b|pad_sequences\(|\.padded_batch\(|"
    r"kerashape\.rebuild\(|input_shape\s*=|keras\.Input\(|np\.transpose\(|\.transpose\("
)
_HINT = re.compile(
    r"\b(did you mean|you (?:can|could|should|may|might|need)|consider|make sure|to fix|try (?:to|using)|"
    r"instead of|please (?:check|make|ensure|provide|use|pass))\b",
    re.I,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _shape_pattern(shape: Optional[Iterable[Optional[int]]]) -> Optional[re.Pattern]:
    if shape is None:
        return None
    free = r"(?:None|\?|any|batch_size|batch)"
    parts = []
    for i, d in enumerate(shape):
        # kerashape writes (batch_size, timesteps=24, features=3); a free axis may be a bare name
        value = r"(?:%s|\d+)" % free if i == 0 else free if d is None else str(int(d))
        bare = r"|[a-z_]+" if i == 0 or d is None else ""
        parts.append(r"(?:(?:\w+=)?%s%s)" % (value, bare))
    if not parts:
        return None
    body = r"\s*,\s*".join(parts)
    return re.compile(r"[\(\[]\s*%s\s*,?\s*[\)\]]" % body)


def model_names(ns: Dict[str, Any]) -> List[str]:
    """Names of every Keras model and layer in the namespace (what the user could look up)."""
    names: List[str] = []
    for value in list(ns.values()):
        layers = getattr(value, "layers", None)
        if layers is None or not hasattr(value, "inputs") or not hasattr(value, "fit"):
            continue
        with contextlib.suppress(Exception):
            names.append(str(value.name))
            names += [str(layer.name) for layer in layers]
    return sorted(set(names), key=len, reverse=True)


def score(text: Optional[str], d: Any, layer_names: List[str]) -> Dict[str, Any]:
    """Score one output against the true facts of the case (see the module docstring)."""
    if not text:
        return {"names_layer": False, "received_shape": False, "expected_shape": False, "fix": "no"}
    text = _ANSI.sub("", text)
    quoted = any(re.search(r"""['"`]%s['"`]""" % re.escape(n), text) for n in layer_names)
    received = _shape_pattern(getattr(d, "received_shape", None))
    expected = _shape_pattern(getattr(d, "expected_shape", None))
    fix = "code" if _CODE.search(text) else "hint" if _HINT.search(text) else "no"
    return {
        "names_layer": bool(quoted) if layer_names else None,
        "received_shape": bool(received.search(text)) if received else None,
        "expected_shape": bool(expected.search(text)) if expected else None,
        "fix": fix,
    }


def _message(error: BaseException) -> str:
    """What the end of IPython's traceback shows: the chain's exception lines."""
    parts, seen, e = [], set(), error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        parts.append("".join(traceback.format_exception_only(type(e), e)))
        e = e.__cause__ or e.__context__
    return "\n".join(reversed(parts))


def _friendly(error: BaseException, repeats: int) -> Dict[str, Any]:
    try:
        import friendly_traceback
        from friendly_traceback.config import session
    except Exception as exc:  # not installed
        return {"available": "not available: %s: %s" % (type(exc).__name__, exc)}
    times, text = [], ""
    try:
        for _ in range(repeats + 1):
            t0 = now()
            with contextlib.redirect_stdout(io.StringIO()):
                session.exception_hook(type(error), error, error.__traceback__, redirect="capture")
            text = friendly_traceback.get_output()
            times.append(now() - t0)
    except Exception as exc:
        return {"available": "not available: it raised %s: %s" % (type(exc).__name__, str(exc)[:200])}
    version = getattr(friendly_traceback, "__version__", "")
    return {
        "available": True,
        "version": version,
        "first_ms": round(times[0] * 1e3, 1),
        "warm_ms": round(statistics.median(times[1:]) * 1e3, 1) if len(times) > 1 else None,
        "text": text,
        "knows_cause": "does not know the cause" not in text,
    }


_TSENSOR_CLASS = '''
import time as _ksb_time, tsensor as _ksb_tsensor
class _KsbClarify(_ksb_tsensor.clarify):
    """tsensor.clarify, timing its __exit__ (where it analyses the failing statement)."""
    elapsed = None
    def __exit__(self, *exc):
        t0 = _ksb_time.perf_counter()
        try:
            return super().__exit__(*exc)
        finally:
            type(self).elapsed = _ksb_time.perf_counter() - t0
'''


def _tensor_sensor(shell: Any, case: Dict[str, Any], d: Any) -> Dict[str, Any]:
    """Re-run SETUP, then the cell inside ``with tsensor.clarify():``, as its README says.

    tensor-sensor re-evaluates the failing statement itself, and a failed ``fit`` leaves
    the model changed, so this runs last and on freshly made objects.
    """
    try:
        import tsensor
    except Exception as exc:
        return {"available": "not available: %s: %s" % (type(exc).__name__, exc)}
    import kerashape_magic._state as state

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        if not shell.run_cell(case["SETUP"]).success:
            return {"available": "not available: SETUP failed on the second run"}
        shell.run_cell(_TSENSOR_CLASS)
        cell = "with _KsbClarify(show=None):\n" + "\n".join(
            "    " + line for line in case["CELL"].splitlines()
        )
        state.enabled = False
        try:
            r = shell.run_cell(cell)
        finally:
            state.enabled = True
    error = r.error_in_exec
    names = model_names(shell.user_ns)  # SETUP ran again: Keras numbered the new layers anew
    elapsed = shell.user_ns["_KsbClarify"].elapsed
    out: Dict[str, Any] = {"available": True, "version": getattr(tsensor, "__version__", "")}
    out["ms"] = round(elapsed * 1e3, 1) if elapsed is not None else None
    if error is None:
        out.update(result="the cell did not fail under tsensor.clarify()", text="")
        return out
    context = error.__context__
    if context is not None and type(error).__module__ in (
        "tokenize",
        "tsensor",
        "tsensor.analysis",
        "tsensor.parsing",
    ):
        out.update(
            result="crashed: %s: %s (raised from its __exit__; the user sees it chained after the "
            "original error)" % (type(error).__name__, str(error)[:120]),
            text=_message(error),
            crashed=True,
        )
        out.update(score(out["text"], d, names))
        return out
    text = _message(error)
    added = re.findall(r"^Cause: .*$", str(error), re.M)  # what tsensor appends (tsensor/ast.py, clarify)
    out.update(text=text, crashed=False, added="\n".join(added), **score(text, d, names))
    out["result"] = "added: %s" % " / ".join(added)[:200] if added else "the message is unchanged"
    return out


def alternatives(
    shell: Any,
    case: Dict[str, Any],
    error: Optional[BaseException],
    d: Any,
    measured: Dict[str, Any],
    repeats: int,
) -> Dict[str, Any]:
    """Keras's message, friendly-traceback, tensor-sensor and kerashape on one case.

    ``error`` is the case's error as it stands in ``shell`` now and ``d`` kerashape's
    diagnosis of it; tensor-sensor runs last (it re-runs the setup and the cell).
    """
    from kerashape_magic.render import render_text

    names = model_names(shell.user_ns)
    ours_text = render_text(d) if d is not None else ""
    ours = {
        "warm_ms": measured["warm"]["total_ms"],
        "first_ms": measured["first"]["total_ms"],
        "verified_fixes": sum(1 for f in getattr(d, "fixes", ()) if f.verified),
        **score(ours_text, d, names),
    }
    if error is None:
        silent = "Keras raises nothing: it accepts this input silently (kerashape check reports it)"
        return {
            "keras": {"text": None, "note": silent, **score("", d, names)},
            "friendly_traceback": {"available": "no error to explain"},
            "tensor_sensor": {"available": "no error to explain"},
            "kerashape": ours,
        }
    original = _message(error)
    keras_out = {"text": original[:2000], **score(original, d, names)}
    friendly = _friendly(error, repeats)
    if friendly.get("available") is True:
        friendly.update(score(friendly["text"], d, names))
        friendly["text"] = friendly["text"][:4000]
    tsensor = _tensor_sensor(shell, case, d)
    if tsensor.get("available") is True:
        tsensor["text"] = (tsensor.get("text") or "")[:2000]
    return {"keras": keras_out, "friendly_traceback": friendly, "tensor_sensor": tsensor, "kerashape": ours}
