"""Fixtures shared by the whole suite: TensorFlow (required in CI) and a real IPython shell.

TensorFlow is not a runtime dependency of kerashape, so a developer may run the suite
without it; tests that need it then skip. Where the environment promises TensorFlow
(``KERASHAPE_REQUIRE_TF=1`` or ``CI=true``, as ``.ci/run`` sets), a missing TensorFlow
fails the session instead: no silent skips in CI.
"""

from __future__ import annotations

import os

# Before anything can import TensorFlow: keep its C++ start-up log out of test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import importlib.util  # noqa: E402

import pytest  # noqa: E402


def tf_required() -> bool:
    """True when this environment promises TensorFlow (CI, or KERASHAPE_REQUIRE_TF=1).

    ``KERASHAPE_REQUIRE_TF=0`` says it does not, even in CI: the JAX and PyTorch legs of
    ``.ci/run`` run without TensorFlow on purpose (their own framework is required there:
    tests/test_backends.py fails when ``KERAS_BACKEND`` names a backend Keras is not running on).
    """
    flag = os.environ.get("KERASHAPE_REQUIRE_TF", "").strip().lower()
    if flag in ("0", "false", "no"):
        return False
    ci = os.environ.get("CI", "").strip().lower()
    return flag in ("1", "true", "yes") or ci in ("1", "true", "yes")


def pytest_sessionstart(session: pytest.Session) -> None:
    if tf_required() and importlib.util.find_spec("tensorflow") is None:
        pytest.exit(
            "TensorFlow is required here (KERASHAPE_REQUIRE_TF=1 or CI=true) but is not installed: "
            'pip install -e ".[test]"',
            returncode=1,
        )


@pytest.fixture(scope="session")
def tf():
    """The ``tensorflow`` module. Fails (never skips) where TensorFlow is required."""
    try:
        import tensorflow
    except ImportError as error:
        if tf_required():
            pytest.fail("TensorFlow is required here but cannot be imported: %s" % error, pytrace=False)
        pytest.skip('TensorFlow is not installed: pip install -e ".[test]"')
    return tensorflow


def _handler_state(ip) -> tuple:
    return tuple(ip.custom_exceptions or ()), ip.CustomTB


@pytest.fixture
def shell():
    """A real ``InteractiveShell`` with ``%load_ext kerashape`` run and an empty namespace.

    After the test: ``%reset -f``, ``%unload_ext kerashape``, and a check that IPython's
    custom-exception slot holds exactly what it held before the extension was loaded.
    """
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    # Another test may have left the extension loaded in this process-wide shell; start clean
    # so that "before" is the handler kerashape must restore.
    if "kerashape" in ip.extension_manager.loaded:
        ip.run_line_magic("unload_ext", "kerashape")
    before = _handler_state(ip)
    ip.run_line_magic("load_ext", "kerashape")
    assert "kerashape" in ip.extension_manager.loaded, "%load_ext kerashape did not load the extension"
    ip.run_line_magic("reset", "-f")
    try:
        yield ip
    finally:
        ip.run_line_magic("reset", "-f")
        ip.run_line_magic("unload_ext", "kerashape")
    after = _handler_state(ip)
    assert after[0] == before[0], "custom_exceptions not restored: %r, was %r" % (after[0], before[0])
    assert after[1] == before[1], "CustomTB not restored: %r, was %r" % (after[1], before[1])
