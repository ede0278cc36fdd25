"""Fixtures of the browser tests: Debian's Chromium through Playwright, Jupyter servers.

Every test in this folder is marked ``browser`` (``python -m pytest -m browser``); the
fast suite, ``-m "not browser"``, leaves them out.

Chromium is ``/usr/bin/chromium`` from Debian's ``chromium`` package (Playwright's own
browser download does not work on these machines). Without it, or without Playwright,
JupyterLab or Notebook 7 (``pip install -e ".[test,browser]"``), a test skips on a
developer's machine and fails where the environment promises a browser
(``KERASHAPE_REQUIRE_BROWSER=1`` or ``CI=true``, as ``.ci/run`` sets): no silent skips in CI.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Callable, Dict, Iterator

import pytest
from jupyter_page import FRONTENDS, JupyterServer, chromium_path, launch_chromium, remove_home, temporary_home


def browser_required() -> bool:
    """True where a browser is promised (CI, or KERASHAPE_REQUIRE_BROWSER=1)."""
    flag = os.environ.get("KERASHAPE_REQUIRE_BROWSER", "").strip().lower()
    ci = os.environ.get("CI", "").strip().lower()
    return flag in ("1", "true", "yes") or ci in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(
            reason + " (a browser is required here: KERASHAPE_REQUIRE_BROWSER=1 or CI=true)", pytrace=False
        )
    pytest.skip(reason + "; set KERASHAPE_REQUIRE_BROWSER=1 to fail instead")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's Chromium (fails where a browser is required, else skips)."""
    path = chromium_path()
    if path is None:
        _unavailable(
            "/usr/bin/chromium not found: apt-get install chromium chromium-driver "
            "(Playwright's own browser download does not work here)"
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium) -> Iterator[object]:
    """A Playwright ``Browser``: headless Debian Chromium, kept off the network."""
    if importlib.util.find_spec("playwright") is None:
        _unavailable('Playwright for Python is not installed: pip install -e ".[test,browser]"')
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def jupyter(tf) -> Iterator[Callable[[str], JupyterServer]]:
    """``jupyter(frontend)``: a running server, ``"lab"`` (JupyterLab) or ``"notebook"``
    (Notebook 7), started on first use, on 127.0.0.1 with a random port and token, and
    ended (with its kernels) when the session ends. Its notebooks' kernel is this
    interpreter, which needs TensorFlow (``tf`` fails in CI without it)."""
    for module, package in (("jupyterlab", "jupyterlab"), ("notebook", "notebook>=7")):
        if importlib.util.find_spec(module) is None:
            _unavailable('%s is not installed: pip install -e ".[test,browser]"' % package)
    servers: Dict[str, JupyterServer] = {}
    homes = []

    def get(frontend: str) -> JupyterServer:
        assert frontend in FRONTENDS, frontend
        if frontend not in servers:
            home = temporary_home("kerashape-%s-" % frontend)
            homes.append(home)
            servers[frontend] = JupyterServer(frontend, home).start()
        return servers[frontend]

    try:
        yield get
    finally:
        for server in servers.values():
            server.stop()
        for home in homes:
            remove_home(home)
