"""Drive a real Jupyter frontend in headless Chromium: servers, notebooks, cells, the panel.

Shared by the browser tests (``tests/browser/test_browser_panel.py``) and, through them,
by ``scripts/make_panel_png.py``. Nothing here imports TensorFlow; the kernel does.

* :func:`chromium_path` / :func:`launch_chromium`: Debian's ``/usr/bin/chromium`` (Playwright's
  own browser download does not work on these machines), with the flags that keep it off
  the network.
* :class:`JupyterServer`: ``jupyter lab`` or ``jupyter notebook`` (Notebook 7) on a free port of
  127.0.0.1 with a random token, in a temporary root with its own config, data, runtime,
  settings, workspaces and IPython directories, and a private ``python3`` kernelspec for
  this interpreter (the approach of ``tests/test_notebooks.py``).
* :func:`browser_notebook`: a demo notebook cut after its failing cell, plus one cell that
  prints the shape the fix changes.
* :class:`NotebookPage`: open the notebook, run one cell through the UI, read outputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "demo_notebooks"
CHROMIUM = "/usr/bin/chromium"
#: Headless, and off the network: without the background-networking flags Chromium keeps
#: trying to reach Google's hosts, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FRONTENDS = ("lab", "notebook")
STDERR_MIME = "application/vnd.jupyter.stderr"


@contextlib.contextmanager
def screenshot_on_failure(page: Any, context: Any, server: Any, tmp_path: Path) -> Any:
    """Run a browser check; on any failure keep a screenshot of the page (its path printed), and
    in every case close the browser context and shut the server's kernels down."""
    try:
        yield
    except BaseException:
        shot = tmp_path / "failure.png"
        try:
            page.screenshot(path=str(shot))
            print("screenshot of the page at the failure: %s" % shot)
        except Exception:
            pass
        raise
    finally:
        context.close()
        server.shutdown_kernels()


def chromium_path() -> Optional[str]:
    """``/usr/bin/chromium`` if it is there and executable, else ``None``."""
    return CHROMIUM if os.access(CHROMIUM, os.X_OK) else None


def launch_chromium(playwright: Any) -> Any:
    """Launch Debian's Chromium through Playwright (a ``Browser``)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


# ------------------------------------------------------------------------------ notebooks


@dataclass(frozen=True)
class Scenario:
    """One demo notebook as the browser test runs it.

    Attributes:
        seed: the demo notebook's stem.
        probe: the source of the cell added after the failing one; it prints what Apply changes.
        before: what ``probe`` prints before Apply (and after Undo).
        after: what it prints after Apply.
        shown: the new shape as the panel's result line states it after Apply.
    """

    seed: str
    probe: str
    before: str
    after: str
    shown: str


SCENARIOS: Dict[str, Scenario] = {
    # The reshape fix rebinds the data variable: (100, 60) -> (100, 20, 3).
    "seed002_lstm_reshape": Scenario(
        "seed002_lstm_reshape",
        'print("data.shape =", data.shape)',
        "data.shape = (100, 60)",
        "data.shape = (100, 20, 3)",
        "(100, 20, 3)",
    ),
    # The rebuild fix rebinds the model: declared for 3 features, rebuilt for the data's 1.
    "seed001_lstm_input": Scenario(
        "seed001_lstm_input",
        'print("model input:", tuple(model.inputs[0].shape))',
        "model input: (None, 24, 3)",
        "model input: (None, 24, 1)",
        "(None, 24, 1)",
    ),
}


def browser_notebook(scenario: Scenario, dest_dir: Path) -> Path:
    """Copy a demo notebook into ``dest_dir``, cut after its first ``raises-exception`` cell,
    with ``scenario.probe`` appended as the last cell.

    The demo's later cells apply and undo the fix from Python; here the buttons do that, so
    those cells are left out. Everything up to the failing cell is the demo's own.

    Returns:
        The new notebook's path (``<seed>.ipynb``).
    """
    import nbformat

    nb = nbformat.read(NB_DIR / (scenario.seed + ".ipynb"), as_version=4)
    cut = next(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "raises-exception" in c.metadata.get("tags", [])
    )
    nb.cells = nb.cells[: cut + 1] + [nbformat.v4.new_code_cell(scenario.probe)]
    path = dest_dir / (scenario.seed + ".ipynb")
    nbformat.write(nb, path)
    return path


# ------------------------------------------------------------------------------ servers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))


def jupyter_environment(home: Path) -> Dict[str, str]:
    """Environment variables that keep Jupyter, IPython and the kernel inside ``home``.

    Writes into ``home`` a ``python3`` kernelspec for this interpreter (first on
    ``JUPYTER_PATH``: a fresh venv needs no ``ipykernel install``, and a stale user-wide
    ``python3`` cannot take its place) and JupyterLab settings without news or update checks
    (they would fetch from the internet, which is closed here, and put a notification over
    the notebook). Config, data, runtime, workspace, IPython and matplotlib directories are
    all under ``home``, so nothing from the user's setup leaks in and nothing leaks out.
    """
    kernels = home / "kernels-path"
    _write_json(
        kernels / "kernels" / "python3" / "kernel.json",
        {
            "argv": [
                sys.executable,
                "-Xfrozen_modules=off",
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
            ],
            "display_name": "Python 3 (kerashape browser tests)",
            "language": "python",
        },
    )
    settings = home / "lab-settings"
    _write_json(
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    return {
        "JUPYTER_PATH": os.pathsep.join(p for p in (str(kernels), os.environ.get("JUPYTER_PATH")) if p),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        "MPLCONFIGDIR": str(home / "matplotlib"),
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }


class JupyterServer:
    """A JupyterLab or Notebook 7 server on 127.0.0.1, private to one test session.

    Args:
        frontend: ``"lab"`` (``jupyter lab``) or ``"notebook"`` (``jupyter notebook``, 7.x).
        home: an empty directory for everything the server and kernel write.
    """

    def __init__(self, frontend: str, home: Path) -> None:
        if frontend not in FRONTENDS:
            raise ValueError("frontend must be one of %s, not %r" % (FRONTENDS, frontend))
        self.frontend = frontend
        self.home = home
        self.root = home / "root"
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.log_path = home / "server.log"
        self.proc: Optional[subprocess.Popen] = None

    @property
    def base(self) -> str:
        return "http://127.0.0.1:%d" % self.port

    def url(self, notebook: str) -> str:
        """The page that opens ``notebook`` (a name in the root) in this frontend.

        JupyterLab gets a new, empty workspace each time, so that it does not reopen the
        notebooks of earlier tests beside this one.
        """
        if self.frontend == "lab":
            where = "lab/workspaces/kerashape-%s/tree" % secrets.token_hex(4)
        else:
            where = "notebooks"
        return "%s/%s/%s?token=%s" % (self.base, where, notebook, self.token)

    def _env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.pop("JUPYTER_CONFIG_PATH", None)
        env.update(jupyter_environment(self.home))
        return env

    def start(self, timeout: float = 120.0) -> "JupyterServer":
        """Start the server and wait until ``/api/status`` answers."""
        module = "jupyterlab" if self.frontend == "lab" else "notebook"
        argv = [
            sys.executable,
            "-m",
            module,
            "--no-browser",
            "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=%d" % self.port,
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=%s" % self.token,
            "--allow-root",  # CI runs as root
            "--ServerApp.root_dir=%s" % self.root,
            "--ServerApp.allow_remote_access=False",
            "--MappingKernelManager.default_kernel_name=python3",
            # Nothing fetched from the internet (closed here): no announcements from jupyter.org,
            # no extension listing from PyPI.
            "--LabApp.news_url=",
            "--LabApp.extension_manager=readonly",
        ]
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            argv,
            cwd=str(self.root),
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its kernels are in its process group: one kill ends all
        )
        log.close()
        deadline = time.monotonic() + timeout
        status = "%s/api/status?token=%s" % (self.base, self.token)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    "jupyter %s exited with %s:\n%s" % (self.frontend, self.proc.returncode, self.log())
                )
            try:
                with urllib.request.urlopen(status, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    "jupyter %s did not answer in %.0f s:\n%s" % (self.frontend, timeout, self.log())
                )
            time.sleep(0.25)

    def shutdown_kernels(self) -> None:
        """Shut down every kernel of this server (frees the memory of a finished test)."""
        for kernel in self._api("GET", "/api/kernels") or []:
            self._api("DELETE", "/api/kernels/%s" % kernel["id"])

    def _api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            self.base + path, method=method, headers={"Authorization": "token " + self.token}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read()
        except OSError:
            return None
        return json.loads(body) if body else None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def stop(self) -> None:
        """End the server and the kernels it started (its whole process group)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)

    def __enter__(self) -> "JupyterServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def temporary_home(prefix: str = "kerashape-browser-") -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def remove_home(home: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)


# ------------------------------------------------------------------------------ the page


_PROMPT_DONE = re.compile(r"^\[\s*(\d+)\s*\]:?$")


class NotebookPage:
    """A notebook open in a Playwright page of JupyterLab or Notebook 7.

    Console errors and uncaught page errors are collected in :attr:`errors` from the
    moment the page is made.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: List[str] = []
        #: How many of :attr:`errors` were logged while the page loaded (before :meth:`open` returned).
        self.load_errors = 0
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_pageerror(self, exc: Any) -> None:
        stack = (getattr(exc, "stack", None) or "").strip().splitlines()[1:4]
        self.errors.append("pageerror: %s%s" % (exc, "".join("\n    " + line.strip() for line in stack)))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location or {}
            self.errors.append("console.error: %s (%s)" % (message.text, where.get("url", "")))

    def open(self, url: str, code_cells: int, timeout: float = 120_000) -> None:
        """Load the notebook, wait for its ``code_cells`` code cells and an idle kernel."""
        self.page.goto(url, wait_until="domcontentloaded", timeout=timeout)
        self.code_cells.nth(code_cells - 1).wait_for(state="attached", timeout=timeout)
        # The kernel status: JupyterLab's and Notebook 7's toolbars both carry the
        # execution indicator; "idle" means a kernel is connected and waiting.
        self.page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first.wait_for(
            state="attached", timeout=timeout
        )
        self.page.wait_for_timeout(500)
        self.accept_kernel_dialog()
        self.load_errors = len(self.errors)

    def accept_kernel_dialog(self) -> bool:
        """Accept a "Select Kernel" dialog if one is open (its preselected kernel is the
        notebook's own ``python3``).

        Notebook 7 sometimes asks, on a loaded machine, when the notebook opens before the
        server's kernel list has arrived; the dialog then covers the cells and swallows clicks.

        Returns:
            True if a dialog was accepted.
        """
        dialog = self.page.locator(".jp-Dialog", has_text="Select Kernel")
        if not dialog.count() or not dialog.first.is_visible():
            return False
        dialog.first.locator("button.jp-mod-accept").click()
        dialog.first.wait_for(state="detached", timeout=10_000)
        print("a 'Select Kernel' dialog was open; its preselected kernel was accepted")
        return True

    @property
    def code_cells(self) -> Any:
        return self.page.locator(".jp-Notebook .jp-CodeCell")

    def cell(self, index: int) -> Any:
        """The ``index``-th code cell (0-based, markdown cells not counted)."""
        return self.code_cells.nth(index)

    def prompt(self, index: int) -> str:
        return self.cell(index).locator(".jp-InputArea-prompt").inner_text().strip()

    def run(self, index: int, timeout: float = 240.0) -> Any:
        """Run one code cell through the UI (select it, Ctrl+Enter) and wait until it finished.

        A page that has just loaded can drop the first key press; if the prompt has not
        changed (to ``[*]:`` or a new number) 5 s after the press, the cell is selected and
        the key pressed again (a press that did arrive always changes the prompt at once,
        so nothing runs twice).

        Returns:
            The cell's locator.
        """
        cell = self.cell(index)
        before = self.prompt(index)
        deadline = time.monotonic() + timeout
        for _attempt in range(3):
            self.accept_kernel_dialog()
            cell.locator(".jp-InputArea-prompt").click()  # selects the cell, command mode
            self.page.wait_for_function(
                "el => el.classList.contains('jp-mod-active')", arg=cell.element_handle(), timeout=10_000
            )
            self.page.keyboard.press("Control+Enter")
            pressed = time.monotonic()
            while self.prompt(index) == before and time.monotonic() - pressed < 5:
                self.page.wait_for_timeout(100)
            if self.prompt(index) != before:
                break
            print("cell %d: the key press was lost (prompt still %r); pressing again" % (index, before))
        while True:
            now = self.prompt(index)
            if _PROMPT_DONE.match(now) and now != before:
                return cell
            if time.monotonic() > deadline:
                raise AssertionError("cell %d did not finish in %.0f s (prompt %r)" % (index, timeout, now))
            self.page.wait_for_timeout(100)

    def run_all(self, upto: int, timeout: float = 240.0) -> None:
        """Run code cells ``0 .. upto`` in order."""
        for i in range(upto + 1):
            self.run(i, timeout=timeout)

    def outputs_text(self, index: int) -> str:
        return self.cell(index).locator(".jp-Cell-outputArea").inner_text()

    def error_output(self, index: int) -> Any:
        """The cell's error / stderr outputs (the traceback is rendered as stderr text)."""
        return self.cell(index).locator('.jp-OutputArea-output[data-mime-type="%s"]' % STDERR_MIME)

    def close_left_sidebar(self, timeout: float = 10_000) -> None:
        """Close JupyterLab's left side bar (the file browser a new workspace opens with), as
        a person with a narrow window does (Ctrl+B): the notebook gets the window's width."""
        stack = self.page.locator("#jp-left-stack")
        if not stack.count() or not stack.is_visible():
            return
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("Control+b")
        stack.wait_for(state="hidden", timeout=timeout)

    def set_theme(self, name: str, timeout: float = 30_000) -> None:
        """Switch JupyterLab's theme (``"JupyterLab Light"`` / ``"JupyterLab Dark"``) through
        its command palette, as a user would, and wait until the page uses it."""
        current = "() => document.body.dataset.jpThemeName"
        if self.page.evaluate(current) == name:
            return
        self.page.keyboard.press("Escape")  # command mode: the palette shortcut is not typed into a cell
        self.page.keyboard.press("Control+Shift+C")
        palette = self.page.locator(".lm-CommandPalette-input")
        palette.wait_for(state="visible", timeout=timeout)
        palette.fill("Use Theme: %s" % name)
        self.page.locator(".lm-CommandPalette-item", has_text="Use Theme: %s" % name).first.click()
        self.page.wait_for_function(
            "name => document.body.dataset.jpThemeName === name && "
            "getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim() !== ''",
            arg=name,
            timeout=timeout,
        )
        self.page.wait_for_timeout(500)  # the theme's CSS applied

    def panel(self, index: int) -> Any:
        """kerashape's diagnosis in the cell's output: the static HTML panel (no widget)."""
        return self.cell(index).locator(".jp-OutputArea-output .kerashape-panel")

    def controls(self, index: int) -> Any:
        """kerashape's controls in the cell's output: the widget view (Apply, Undo, result line)."""
        return self.cell(index).locator(".jupyter-widgets.kerashape-controls")
