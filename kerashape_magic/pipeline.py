"""The one-way flow: exception -> facts -> core -> verify -> Diagnosis.

Used by the hook, by ``kerashape.diagnose`` and by ``kerashape.check``. Rendering is not
done here.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, Dict, Optional

from .core import diagnose as core
from .core.types import Diagnosis
from .facts import gather
from .verify import verify


def _user_ns() -> Optional[Dict[str, Any]]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    shell = get_ipython()
    if shell is not None:
        return shell.user_ns
    main = sys.modules.get("__main__")
    return getattr(main, "__dict__", None)


def shape_exception(error: BaseException):
    """The exception in ``error``'s cause/context chain whose message kerashape can parse.

    Returns:
        ``(exception, ParsedMessage)`` or ``(None, None)``.
    """
    from .core import messages

    seen = set()
    e: Optional[BaseException] = error
    while e is not None and id(e) not in seen and len(seen) < 10:
        seen.add(id(e))
        text = str(e)
        if messages.is_shape_error(type(e).__name__, text):
            parsed = messages.parse(text)
            if parsed is not None:
                return e, parsed
        e = e.__cause__ or e.__context__
    return None, None


def diagnose_error(
    error: BaseException,
    model: Any = None,
    x: Any = None,
    y: Any = None,
    tb: Optional[TracebackType] = None,
    user_ns: Optional[Dict[str, Any]] = None,
) -> Optional[Diagnosis]:
    """Explain ``error`` (see :func:`kerashape.diagnose`); ``None`` when it is not a shape error."""
    exc, parsed = shape_exception(error)
    if parsed is None:
        return None
    ns = user_ns if user_ns is not None else _user_ns()
    gathered = gather(error, tb if tb is not None else error.__traceback__, ns, model, x, y)
    d = core.diagnose(parsed, gathered.facts, mode="error")
    if d is None:
        return None
    return verify(d, gathered)


def check_objects(
    model: Any, x: Any, y: Any = None, user_ns: Optional[Dict[str, Any]] = None
) -> Optional[Diagnosis]:
    """Pre-flight comparison of ``x`` / ``y`` with ``model`` (see :func:`kerashape.check`)."""
    ns = user_ns if user_ns is not None else _user_ns()
    gathered = gather(None, None, ns, model, x, y)
    d = core.diagnose(None, gathered.facts, mode="check")
    if d is None:
        return None
    return verify(d, gathered)
