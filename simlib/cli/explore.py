"""``mcsim explore``: serve the what-if explorer (``notebooks/00-explorer.ipynb``) as a web
page with Voila, without its code, and print the page's address.

By default the page is for this machine only: Voila listens on 127.0.0.1 at a free port
(or ``--port N``; a port already taken is an error, never a silent move to another one).
``--share`` listens on every address of the machine and asks for a random token, which the
printed address carries; the token reaches Voila through its environment
(``JUPYTER_TOKEN``), never its command line, where other users of the machine could read it.

The page works offline: it fetches nothing from outside the server. Voila's page template
links a font of icons from a CDN; the page's Content-Security-Policy (sent with every
response, see :data:`PAGE_POLICY`) lets the browser load only what the server itself
serves, so it never asks. Each notebook cell has :data:`CELL_TIMEOUT` seconds.

The command runs Voila until it stops (Ctrl-C). Errors (port taken, Voila missing, the
notebook missing, Voila stopping before it serves) are one line, exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simlib.cli.options import whole_number
from simlib.errors import CommandError

NOTEBOOK = "notebooks/00-explorer.ipynb"  # relative to the project folder
VOILA = "voila"  # the module run as ``python -m voila``
LOCAL, EVERYWHERE = "127.0.0.1", "0.0.0.0"
CELL_TIMEOUT = 300  # seconds one cell of the notebook may take (building the explorer: ~5)
START_TIMEOUT = 120  # seconds Voila may take to listen
STOP_TIMEOUT = 15  # seconds Voila may take to stop its kernels after Ctrl-C
# Only what the server serves: scripts and styles (inline ones too), data: and blob: images
# and fonts, and the kernel's websocket (same origin); nothing from another host.
PAGE_POLICY = ("default-src 'self' 'unsafe-inline' data: blob:; "
               "frame-ancestors 'self'")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim explore`` to the subcommands."""
    parser = commands.add_parser(
        "explore", help="serve the what-if explorer as a web page (Voila) and print its address")
    parser.add_argument("--port", type=whole_number(1, 65535), metavar="N",
                        help="listen on port N (default: a free port)")
    parser.add_argument("--share", action="store_true",
                        help="listen on every address of this machine, not only 127.0.0.1, "
                        "behind a random token (the printed address carries it)")
    parser.set_defaults(handler=command_explore)


def command_explore(args: argparse.Namespace) -> int:
    """``mcsim explore``: start Voila, print the page's address when it serves, and wait
    for Voila to stop; its exit status."""
    notebook = explorer_notebook()
    check_voila()
    host = EVERYWHERE if args.share else LOCAL
    port = free_port(host) if args.port is None else checked_port(host, args.port)
    token = secrets.token_urlsafe(24) if args.share else None
    with tempfile.TemporaryDirectory(prefix="mcsim-explore-") as folder:
        config = Path(folder) / "voila.json"
        config.write_text(json.dumps(voila_config()))
        server = subprocess.Popen(voila_command(notebook, host, port, config.parent),
                                  env=voila_environment(token), cwd=notebook.parent)
        with _stopping(server):
            wait_until_serving(server, port)
    print(page_address(host, port, token), flush=True)
    with _stopping(server):
        return server.wait()


def explorer_notebook() -> Path:
    """The explorer's notebook in the project folder (see
    :func:`simlib.reports.build.project_file`)."""
    from simlib.errors import InputError
    from simlib.reports.build import project_file

    try:
        return Path(project_file(NOTEBOOK))
    except InputError:
        raise CommandError(f"mcsim: explore: {NOTEBOOK} not found; run mcsim explore in the "
                           "project folder (the one holding reports.yaml)") from None


def check_voila() -> None:
    """Raise :class:`CommandError` when Voila is not installed in this Python."""
    if importlib.util.find_spec(VOILA) is None:
        raise CommandError("mcsim: explore: Voila is not installed; install it with pip "
                           "install -e '.[lab]' (make explorer does)")


def free_port(host: str) -> int:
    """A port no one listens on at ``host`` (the system's choice)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def checked_port(host: str, port: int) -> int:
    """``port``, when it is free at ``host``; else :class:`CommandError`."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Voila's server
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(f"mcsim: explore: port {port} on {host} cannot be used "
                               f"({error.strerror}); choose another with --port, or leave "
                               "--port out for a free one") from None
    return port


def voila_config() -> dict:
    """Voila's settings that its command line cannot carry: the page's headers."""
    return {"Voila": {"tornado_settings": {"headers": {"Content-Security-Policy": PAGE_POLICY}}}}


def voila_command(notebook: Path, host: str, port: int, config_folder: Path) -> list[str]:
    """The command that serves ``notebook`` at ``host``:``port`` (no other port), without
    its code, without opening a browser, with the settings in ``config_folder`` only."""
    return [sys.executable, "-m", VOILA, str(notebook), "--no-browser",
            f"--Voila.ip={host}", f"--Voila.port={port}", "--Voila.port_retries=0",
            "--VoilaConfiguration.strip_sources=True",
            f"--VoilaExecutor.timeout={CELL_TIMEOUT}",
            f"--Voila.config_file_paths={config_folder}",
            *(["--token"] if host == EVERYWHERE else []),
            "--Voila.log_level=ERROR"]


def voila_environment(token: str | None) -> dict[str, str]:
    """This process's environment, with ``JUPYTER_TOKEN`` set to ``token`` when given."""
    environment = dict(os.environ)
    environment.pop("JUPYTER_TOKEN", None)
    if token is not None:
        environment["JUPYTER_TOKEN"] = token
    return environment


def wait_until_serving(server: subprocess.Popen, port: int) -> None:
    """Return when ``server`` accepts connections on ``port``; :class:`CommandError` when
    it stops first or takes longer than :data:`START_TIMEOUT`."""
    deadline = time.monotonic() + START_TIMEOUT
    while server.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((LOCAL, port), 0.5):
            return
        time.sleep(0.1)
    status = server.poll()
    if status is None:
        raise CommandError(f"mcsim: explore: Voila did not listen on port {port} within "
                           f"{START_TIMEOUT} s; see its messages above")
    raise CommandError(f"mcsim: explore: Voila stopped before serving (exit status {status}); "
                       "see its messages above")


def page_address(host: str, port: int, token: str | None) -> str:
    """The page's address: this machine's name when shared, with the token."""
    name = socket.gethostname() if host == EVERYWHERE else host
    return f"http://{name}:{port}/" + (f"?token={token}" if token else "")


@contextlib.contextmanager
def _stopping(server: subprocess.Popen):
    """Stop ``server`` (and so its kernels) when this process is told to stop (SIGTERM, or
    Ctrl-C, which reaches Voila too) or fails while it runs."""
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        yield
    except BaseException:
        _stop(server)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(server: subprocess.Popen) -> None:
    """Let ``server`` stop its kernels; kill it when it takes longer than
    :data:`STOP_TIMEOUT`."""
    if server.poll() is None:
        server.terminate()
    try:
        server.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
