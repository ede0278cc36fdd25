"""Warnings for what Keras accepts silently, shown after a cell that *succeeded*.

Keras 3 trains a ``Sequential`` LSTM declared for 24 timesteps on 48 without a word, adds a
missing size-1 axis, broadcasts labels of another shape against the output in the loss,
ignores dict inputs under keys that are no input's name, and trains a softmax over one unit.
``%kerashape check`` finds these, but only for a user who thinks of running it. After every
successful cell that called ``fit``, ``evaluate``, ``predict``, ``train_on_batch``,
``test_on_batch``, ``predict_on_batch`` or ``model(x)`` on a Keras model, kerashape makes
the comparison ``check`` makes (:func:`kerashape_magic.pipeline.check_objects`'s facts and
rules, ``mode="check"``) and, for a definite finding only, shows a compact warning under the
cell's output: the sentence, the axis table, the fixes (verified within the panel's budget)
and the change to the user's cells.

How the cell is read (never re-evaluated, no user code called): the cell's text is parsed
with :mod:`ast`; the model, the data and the labels must be plain names or attribute chains
(read with :func:`kerashape_magic.facts.static_attr`, so no property runs), or a literal
dict / list of such names; a call whose names the cell rebinds after it, or a call inside a
function, class, lambda or comprehension, is left alone.

The cheap path: a cell that cannot hold such a call (no ``(``, no Keras imported, no method
name of the list and no called name bound to a Keras model) costs a few substring tests,
before any parsing (``benchmarks/run.py``: ``silent_plain_cell_us``).

``%kerashape warnings on|off|status`` switches it (:func:`warnings_command`); on by default.
"""

from __future__ import annotations

import ast
import sys
import weakref
from dataclasses import replace
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

#: The model methods whose first argument is the input data (keras/src/trainers/trainer.py,
#: Keras 3.15); ``model(x)`` is ``__call__``.
WARNING_METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")
#: The methods whose second argument is the labels.
LABEL_METHODS = ("fit", "evaluate", "train_on_batch", "test_on_batch")
#: The methods that train (the optimizer takes steps).
TRAINING_METHODS = ("fit", "train_on_batch")
#: Diagnosis kinds a warning may report: what Keras accepts silently (DESIGN.md's kinds).
#: Every other kind is an error Keras raises, so it cannot follow a successful call.
WARNED_KINDS = (
    "timestep_mismatch",
    "spatial_mismatch",
    "feature_mismatch",
    "missing_axis",
    "rank_mismatch",
    "label_mismatch",
    "output_structure",
    "input_structure",
)
#: At most this many warnings under one cell.
MAX_WARNINGS = 2

#: True while warnings are shown (``%kerashape warnings on|off``).
enabled: bool = True

#: Substrings one of which a cell calling a model method must hold (``.predict`` also covers
#: ``.predict_on_batch``; ``_on_batch`` the two others).
_METHOD_TEXT = (".fit", ".predict", ".evaluate", "_on_batch")
#: The model classes met so far (Keras's own, and any subclass a cell called): ``model(x)`` is
#: looked for only under the names bound to one of these, by a set lookup per name.
_model_types: Set[type] = set()
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda) + (
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
#: id(model) -> (weak reference, optimizer steps after the last cell that used it here).
_steps_seen: Dict[int, Tuple[Any, int]] = {}


# --------------------------------------------------------------------------- the cheap path


def _is_model(obj: Any) -> bool:
    t = type(obj)
    if t in _model_types:
        return True
    for cls in t.__mro__:
        if cls.__name__ == "Model" and "keras" in cls.__module__:
            _model_types.add(t)
            return True
    return False


def _keras_model_types() -> None:
    """Keras 3's (and tf.keras's) model classes, once their modules are imported."""
    for module, names in (
        ("keras.src.models.sequential", ("Sequential",)),
        ("keras.src.models.functional", ("Functional",)),
        ("keras.src.models.model", ("Model",)),
        ("tf_keras.src.engine.sequential", ("Sequential",)),
        ("tf_keras.src.engine.functional", ("Functional",)),
        ("tf_keras.src.engine.training", ("Model",)),
    ):
        mod = sys.modules.get(module)
        for name in names:
            cls = getattr(mod, name, None)
            if isinstance(cls, type):
                _model_types.add(cls)


def may_call_model(text: str, user_ns: Dict[str, Any]) -> bool:
    """The string test before any parsing: could ``text`` call a Keras model's method?

    True when Keras (or TensorFlow) is imported and the text has a ``.fit`` / ``.predict`` /
    ... or calls a bare name bound to a Keras model in ``user_ns``. Never parses, never raises.

    Example:
        >>> may_call_model("x = 1", {})
        False
    """
    if "(" not in text or ("keras" not in sys.modules and "tensorflow" not in sys.modules):
        return False
    for m in _METHOD_TEXT:
        if m in text:
            return True
    if not _model_types:
        _keras_model_types()
    types = _model_types
    return any(_called(text, name) for name, v in user_ns.items() if type(v) in types)


def _called(text: str, name: str) -> bool:
    """Whether ``name`` is followed by ``(`` in ``text``, spaces allowed between (``model (x)``).

    Example:
        >>> _called("y = model (x)", "model"), _called("print(model)", "model")
        (True, False)
    """
    i = text.find(name)
    while i >= 0:
        j = i + len(name)
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j] == "(":
            return True
        i = text.find(name, i + 1)
    return False


# --------------------------------------------------------------------------- reading the cell


class Call:
    """One call of a Keras model found in a cell, with its objects resolved by name.

    Attributes:
        model: the Keras model.
        method: ``"fit"``, ... or ``"__call__"``.
        x / y: the data and labels objects (``y`` None when not passed or not resolved).
        source: the call's source text; line: its line in the cell (1-based).
        model_names: the names the model was read from (the first of its chain).
    """

    def __init__(self, model: Any, method: str, x: Any, y: Any, source: str, line: int, root: str) -> None:
        self.model, self.method, self.x, self.y = model, method, x, y
        self.source, self.line, self.root = source, line, root


def _nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node that runs in the cell's own scope (not inside a def, class, lambda, comprehension)."""
    stack: List[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        for child in reversed(list(ast.iter_child_nodes(node))):
            if not isinstance(child, _SCOPES):
                stack.append(child)


def _lookup(node: ast.AST, ns: Dict[str, Any]) -> Tuple[bool, Any]:
    """A name or an attribute chain of names, read from ``ns``; nothing else is evaluated."""
    from .facts import static_attr

    if isinstance(node, ast.Name):
        if node.id in ns:
            return True, ns[node.id]
        return False, None
    if isinstance(node, ast.Attribute):
        ok, base = _lookup(node.value, ns)
        return static_attr(base, node.attr) if ok else (False, None)
    return False, None


def _resolve_data(node: Optional[ast.AST], ns: Dict[str, Any]) -> Tuple[bool, Any]:
    """Data: a name / attribute chain, or a literal dict (string keys) / list / tuple of them."""
    if node is None:
        return False, None
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                return False, None
            ok, obj = _lookup(v, ns)
            if not ok:
                return False, None
            out[k.value] = obj
        return bool(out), out
    if isinstance(node, (ast.List, ast.Tuple)):
        items = []
        for e in node.elts:
            ok, obj = _lookup(e, ns)
            if not ok:
                return False, None
            items.append(obj)
        return bool(items), (items if isinstance(node, ast.List) else tuple(items))
    return _lookup(node, ns)


def _arg(call: ast.Call, index: int, keyword: str) -> Optional[ast.AST]:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return None
    return call.args[index] if len(call.args) > index else None


def _names(node: Optional[ast.AST]) -> Set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node is not None else set()


def _rebound_after(tree: ast.Module, line: int) -> Set[str]:
    """Names the cell binds (or deletes) on a line after ``line``: read now, they may not be
    what the call received."""
    out: Set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", 0) <= line:
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
    return out


def model_calls(text: str, user_ns: Dict[str, Any]) -> List[Call]:
    """The calls of Keras models in a cell's text whose objects resolve in ``user_ns``.

    Args:
        text: the cell's source (IPython's raw cell; magics make it unparsable and it is skipped).
        user_ns: the user's namespace after the cell ran.

    Returns:
        The calls in source order; a call whose model or data do not resolve by name, or whose
        names the cell rebinds after it, is left out. Never raises.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: List[Call] = []
    for node in _nodes(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        method = f.attr if isinstance(f, ast.Attribute) and f.attr in WARNING_METHODS else ""
        owner = f.value if isinstance(f, ast.Attribute) and method else f
        if not method and not isinstance(f, (ast.Name, ast.Attribute)):
            continue
        ok, model = _lookup(owner, user_ns)
        if not ok or not _is_model(model):
            continue
        method = method or "__call__"
        x_node = _arg(node, 0, "inputs" if method == "__call__" else "x")
        y_node = _arg(node, 1, "y") if method in LABEL_METHODS else None
        used = _names(owner) | _names(x_node) | _names(y_node)
        if used & _rebound_after(tree, getattr(node, "end_lineno", node.lineno) or node.lineno):
            continue
        ok, x = _resolve_data(x_node, user_ns)
        if not ok:
            continue
        ok_y, y = _resolve_data(y_node, user_ns)
        root = next(iter(_names(owner)), "")
        found.append(Call(model, method, x, y if ok_y else None, ast.unparse(node), node.lineno, root))
    return found


# --------------------------------------------------------------------------- trained before this cell


def _steps(model: Any) -> int:
    """The optimizer's step count (``optimizer.iterations``), 0 when none is read."""
    try:
        it = getattr(getattr(model, "optimizer", None), "iterations", None)
        if it is None:
            return 0
        return int(it.numpy() if hasattr(it, "numpy") else it)
    except Exception:
        return 0


def _steps_of_last_fit(model: Any) -> int:
    """Steps the last ``fit`` took: its History callback (``model.history``, set by
    keras/src/callbacks/history.py at each epoch's end) holds ``params["steps"]`` and the epochs run."""
    from .facts import static_attr

    ok, history = static_attr(model, "history")
    try:
        steps = int((getattr(history, "params", None) or {}).get("steps") or 0)
        return steps * len(getattr(history, "epoch", None) or ())
    except Exception:
        return 0


def trained_before(call: Call, text_assigns_model: bool) -> bool:
    """Whether the model carried learned weights *before* this cell (rule 3 of the ranking).

    A model trained only by this very cell on the data the warning is about is not one whose
    weights must be kept: the user re-runs the cell after the fix. Read from the steps kerashape
    saw after the last cell that used the model, else from the step count less this cell's
    ``fit`` (its History), else from :func:`kerashape_magic.pipeline.trained`.
    """
    from .pipeline import trained

    model = call.model
    frozen = any(getattr(layer, "trainable", True) is False for layer in getattr(model, "layers", ()) or ())
    seen = _steps_seen.get(id(model))
    if seen is not None and seen[0]() is model:
        return frozen or seen[1] > 0
    if call.method not in TRAINING_METHODS:
        return trained(model)
    now = _steps(model)
    this_cell = _steps_of_last_fit(model) if call.method == "fit" else 1
    if text_assigns_model and now <= this_cell:
        return frozen
    return frozen or now - this_cell > 0


def _remember_steps(model: Any) -> None:
    try:
        _steps_seen[id(model)] = (weakref.ref(model), _steps(model))
    except TypeError:  # not weak-referenceable
        pass
    for key, (ref, _n) in list(_steps_seen.items()):
        if ref() is None:
            del _steps_seen[key]


# --------------------------------------------------------------------------- the comparison


def compare(call: Call, user_ns: Dict[str, Any], trained: bool = False) -> Tuple[Any, Any]:
    """The comparison ``%kerashape check`` makes, for one call: facts and rules, no verification.

    Args:
        call: the call read from the cell.
        user_ns: the user's namespace.
        trained: the model carried learned weights before this cell.

    Returns:
        ``(gathered, diagnosis)``: the facts (:class:`kerashape_magic.facts.Gathered`, the call
        set to ``call``'s method, source and line) and the rules' Diagnosis in ``"check"`` mode
        without fixes, or None.
    """
    from .core.rules import run
    from .core.types import CallFact
    from .facts import gather

    gathered = gather(None, None, user_ns, call.model, call.x, call.y)
    facts = replace(gathered.facts, call=CallFact(call.method, call.source, call.line))
    if trained and facts.model is not None:
        facts = replace(facts, model=replace(facts.model, trained=True))
    if facts.model is not None and _traced(call.model):
        # the call just ran on the mismatching data: Keras 3.15 keeps the tf.function it traced,
        # and after (N, 24) the same call on (N, 24, 1) fails ("Cannot take the length of shape
        # with unknown rank", measured: the retrace generalises to an unknown rank). A data fix
        # clears them, as after a failed call (kerashape.reset, core/moves/templates.model_repair).
        facts = replace(facts, model=replace(facts.model, stale=True))
    gathered.facts = facts
    return gathered, run(None, facts, mode="check")


def _traced(model: Any) -> bool:
    """True when ``model`` holds a cached train / test / predict function (read as stored)."""
    from .facts import static_attr

    return any(
        static_attr(model, a)[1] is not None for a in ("train_function", "test_function", "predict_function")
    )


def definite(d: Any) -> bool:
    """A finding worth a warning after a successful call: a kind Keras accepts silently
    (:data:`WARNED_KINDS`) with a shape table or a fix to show."""
    return d is not None and d.kind in WARNED_KINDS and bool(d.rows or d.fixes or d.summary)


def finish(d: Any, gathered: Any) -> Any:
    """The fixes of a finding: proposed, verified, ranked, with the change to the user's cells.

    The cell that just ran counts as the failing one (its call must work after the fix), as
    :func:`kerashape_magic.pipeline.diagnose_error` counts it. Random streams and Keras's name
    counters are kept (:func:`kerashape_magic.streams.kept`).
    """
    from . import facts as facts_mod
    from . import verify_internal, verify_labels  # noqa: F401  (they register their verifiers)
    from .core.moves import propose
    from .core.rank import rank
    from .pipeline import with_source_edits
    from .streams import kept
    from .verify import verify

    with kept(), facts_mod.diagnosis_clock():
        d = propose(d, gathered.facts)
        d = with_source_edits(rank(verify(d, gathered), gathered.facts), gathered.facts, failing=True)
    try:
        from . import actions

        actions.remember(d, gathered.namespace)
    except Exception:
        pass
    return d


def _cell_text(result: Any, shell: Any) -> str:
    info = getattr(result, "info", None)
    text = getattr(info, "raw_cell", None)
    if text is None:
        hist = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or [""]
        text = hist[-1]
    return text if isinstance(text, str) else ""


def findings(shell: Any, text: str) -> List[Any]:
    """The warnings for one successful cell's text: finished Diagnoses, at most :data:`MAX_WARNINGS`."""
    ns = shell.user_ns
    calls = model_calls(text, ns)
    out: List[Any] = []
    seen: Set[Tuple[int, int, int]] = set()
    try:
        tree = ast.parse(text)
        assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    except SyntaxError:
        assigned = set()
    for call in calls:
        key = (id(call.model), id(call.x), id(call.y))
        if key in seen or len(out) >= MAX_WARNINGS:
            continue
        seen.add(key)
        gathered, d = compare(call, ns, trained_before(call, call.root in assigned))
        if definite(d):
            out.append(finish(d, gathered))
    for call in calls:
        _remember_steps(call.model)
    return out


def after_cell(shell: Any, result: Any = None) -> None:
    """``post_run_cell``: after a successful cell that called a Keras model, warn about what
    Keras accepted silently. Never raises (the hook wraps it too)."""
    from . import _state

    if not (enabled and _state.enabled) or shell is None:
        return
    if result is not None and not getattr(result, "success", True):
        return
    text = _cell_text(result, shell)
    if not text or not may_call_model(text, shell.user_ns):
        return
    found = findings(shell, text)
    if not found:
        return
    _state.last_diagnosis = found[-1]
    from .render.warning import display_warning

    for d in found:
        display_warning(d)


def warnings_command(shell: Any, args: List[str]) -> str:
    """``%kerashape warnings on|off|status``: switch the warnings after successful cells.

    Args:
        shell: the IPython shell (unused: the switch is process-wide, like ``%kerashape on``).
        args: ``[]`` or ``["status"]``, ``["on"]``, ``["off"]``.

    Returns:
        The line to print.

    Raises:
        IPython.core.error.UsageError: any other argument.
    """
    global enabled
    if len(args) > 1 or (args and args[0] not in ("on", "off", "status")):
        from IPython.core.error import UsageError

        raise UsageError("%%kerashape warnings takes on, off or status, not %r" % " ".join(args))
    if args and args[0] != "status":
        enabled = args[0] == "on"
    if enabled:
        return (
            "kerashape: warnings on (after a cell that ran a Keras model, kerashape says what Keras "
            "accepted without an error)"
        )
    return "kerashape: warnings off ('%kerashape warnings on' to warn about what Keras accepts silently)"
