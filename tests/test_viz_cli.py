"""``pcsim viz`` before the browser: bad input refused, and a server that stays private and offline."""

from __future__ import annotations

import socket
import subprocess
import sys

from pcsim.cli import viz as cli
from pcsim.viz import world

from .conftest import CONFIGS


def test_viz_refuses_a_bad_config_or_port_before_serving(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "pcsim.cli", "viz", str(tmp_path / "missing.toml")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "does not exist" in bad.stderr and "Traceback" not in bad.stderr
    port = subprocess.run([sys.executable, "-m", "pcsim.cli", "viz", "--port", "70000"], capture_output=True,
                          text=True, timeout=60)
    assert port.returncode == 2 and "port" in port.stderr and "Traceback" not in port.stderr


def test_viz_refuses_a_port_in_use_before_serving():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run([sys.executable, "-m", "pcsim.cli", "viz", "--port", str(port)], capture_output=True,
                              text=True, timeout=60)
    assert busy.returncode == 2 and f"--port {port}" in busy.stderr and "Traceback" not in busy.stderr
    assert len(busy.stderr.strip().splitlines()) == 1


def test_the_server_never_checks_for_updates_or_opens_a_browser():
    command = cli.server_command("solara", "127.0.0.1", 8765)
    assert command[:2] == ["solara", "run"] and command[2].endswith("app.py")
    assert {"--no-check-version", "--no-open", "--production"} <= set(command)
    assert command[command.index("--port") + 1] == "8765"


def test_the_server_sends_no_telemetry_and_fetches_nothing_from_a_cdn():
    env = cli.server_environment({"PATH": "/bin", world.CONFIG_VARIABLE: "/stale.toml"}, None)
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False" and env["SOLARA_THEME_SHOW_BANNER"] == "False"
    assert env["SOLARA_ASSETS_PROXY"] == "True" and env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")
    assert env["PATH"] == "/bin" and world.CONFIG_VARIABLE not in env
    with_config = cli.server_environment({"PYTHONWARNINGS": "error"}, "configs/ace.toml")
    assert with_config[world.CONFIG_VARIABLE].endswith("configs/ace.toml")
    assert with_config["PYTHONWARNINGS"].startswith("error,ignore:Cookies")


def test_every_teaching_scenario_is_tried_on_the_config_before_serving():
    cli.check_scenarios(None)
    cli.check_scenarios(str(CONFIGS / "qof_history.toml"))
