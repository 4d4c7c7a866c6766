"""``mcsim explore``: the Voila command it runs, and its one-line errors (a port taken,
Voila or the notebook missing, Voila stopping before it serves). The page itself is tested
in a browser: tests/explorer/test_browser.py."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from simlib.cli import explore
from simlib.cli.main import main

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "00-explorer.ipynb"
NO_NOTEBOOK = str(Path("notebooks", "no-such-explorer.ipynb"))  # a file no project has


def one_line_error(capfd, *argv: str) -> str:
    """The last line of stderr of ``mcsim argv``, which must fail with status 2."""
    status = main(list(argv))
    err = capfd.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    return err.splitlines()[-1]


def test_a_port_in_use_is_refused(capfd):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["explore", "--port", str(port)])
    err = capfd.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert err.startswith(f"mcsim: explore: port {port} on 127.0.0.1 cannot be used")
    assert "--port" in err


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_a_bad_port_is_one_line(capfd, port):
    line = one_line_error(capfd, "explore", "--port", port)
    assert line.startswith("mcsim: argument --port: must be a whole number from 1 to 65,535")


def test_a_missing_notebook_is_one_line(capfd, monkeypatch):
    monkeypatch.setattr(explore, "NOTEBOOK", NO_NOTEBOOK)
    line = one_line_error(capfd, "explore")
    assert line == (f"mcsim: explore: {NO_NOTEBOOK} not found; run mcsim explore in the "
                    "project folder (the one holding reports.yaml)")


def test_missing_voila_is_one_line(capfd, monkeypatch):
    monkeypatch.setattr(explore, "VOILA", "no_such_voila_module")
    line = one_line_error(capfd, "explore")
    assert line.startswith("mcsim: explore: Voila is not installed; install it with pip")


def test_voila_stopping_before_it_serves_is_one_line(capfd, monkeypatch):
    monkeypatch.setattr(explore, "VOILA", "json.tool")  # refuses Voila's options at once
    line = one_line_error(capfd, "explore")
    assert line.startswith("mcsim: explore: Voila stopped before serving (exit status 2)")


def test_voila_serves_the_notebook_here_only_on_the_port_given(tmp_path):
    command = explore.voila_command(NOTEBOOK, "127.0.0.1", 8899, tmp_path)
    assert command[1:4] == ["-m", "voila", str(NOTEBOOK)]
    for flag in ("--no-browser", "--Voila.ip=127.0.0.1", "--Voila.port=8899",
                 "--Voila.port_retries=0", "--VoilaConfiguration.strip_sources=True",
                 f"--VoilaExecutor.timeout={explore.CELL_TIMEOUT}",
                 f"--Voila.config_file_paths={tmp_path}"):
        assert flag in command
    assert "--token" not in command


def test_sharing_asks_for_a_token_kept_off_the_command_line(tmp_path):
    command = explore.voila_command(NOTEBOOK, "0.0.0.0", 8899, tmp_path)
    assert "--Voila.ip=0.0.0.0" in command and "--token" in command
    environment = explore.voila_environment("s3cret")
    assert environment["JUPYTER_TOKEN"] == "s3cret"
    assert not any("s3cret" in part for part in command)
    assert "JUPYTER_TOKEN" not in explore.voila_environment(None)
    assert explore.page_address("0.0.0.0", 8899, "s3cret").endswith(":8899/?token=s3cret")
    assert explore.page_address("127.0.0.1", 8899, None) == "http://127.0.0.1:8899/"


def test_the_page_may_load_only_what_the_server_serves():
    policy = explore.voila_config()["Voila"]["tornado_settings"]["headers"][
        "Content-Security-Policy"]
    assert policy.startswith("default-src 'self' ")
    assert "http" not in policy and "*" not in policy
