"""``pcsim viz``: the teaching page."""

from __future__ import annotations

import os
import shutil
import socket
import sys

from pcsim.cli.common import ConfigError, command

VIZ_HELP = """\
Serve the teaching page on this machine. It needs no internet access and
sends nothing anywhere: Solara's version check and telemetry are off, and its
asset proxy serves only what is installed.

Students choose a teaching scenario (status quo, micro-incentives, the ACE
investment fund with a partnership or a directive roll-out, QOF with
indicators withdrawn, many small schemes), set its levers (QOF payment per
point, GBP per patient, number of schemes, the fund's share on equipment, the
commissioner's stance, learning-set facilitation, the seed), press Reset, then
Step or Play month by month. Monitors show the month, GPs in post, GP exits,
spend and savings and innovations running; panels show the practices as a
network (hover or click one to inspect it), GPs' motivations, recorded against
delivered care, morale and burnout, GP exits, admissions and money, with the
schemes' windows marked. The Info tab explains the model; the sidebar
downloads the run's monthly data as CSV.

examples:
  pcsim viz                       # http://127.0.0.1:8765
  pcsim viz configs/default.toml --port 8800
  pcsim viz --host 0.0.0.0        # let students open it from their own laptops
"""

# Solara's settings (environment variables) that keep the page private and offline.
OFFLINE = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",     # no usage reports to Mixpanel
    "SOLARA_ASSETS_PROXY": "True",                   # the browser fetches JavaScript from this server only
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/",  # and the server never fetches a missing file from a CDN
    "SOLARA_THEME_SHOW_BANNER": "False",             # no "runs on Solara" link over the charts
    "SOLARA_THEME_TITLE": "pcsim",                   # the tab's title while the page loads
}
# A warning Solara prints on every page load when served on 127.0.0.1 (not "localhost"): harmless here.
QUIET = "ignore:Cookies with samesite=none require https"


def add(commands) -> None:
    viz = command(commands, "viz", "the teaching page in the browser (Mesa model, Solara page)", VIZ_HELP)
    viz.add_argument("config", nargs="?", default=None,
                     help="a TOML config whose commissioner the class works on (default: the default commissioner)")
    viz.add_argument("--host", default="127.0.0.1", help="address to serve on (default: %(default)s, this machine)")
    viz.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    viz.set_defaults(handler=main)


def server_command(solara: str, host: str, port: int) -> list[str]:
    """The ``solara run`` command line of the page (no browser opened, no version check)."""
    from pcsim.viz import app

    return [solara, "run", app.__file__, "--host", host, "--port", str(port), "--no-open", "--production",
            "--no-check-version"]


def server_environment(base: dict[str, str], config_path: str | None) -> dict[str, str]:
    """The environment of the Solara server: ``base`` with the offline settings and the config."""
    from pcsim.viz.world import CONFIG_VARIABLE

    env = {**base, **OFFLINE}
    env["PYTHONWARNINGS"] = ",".join(filter(None, [base.get("PYTHONWARNINGS"), QUIET]))
    if config_path is not None:
        env[CONFIG_VARIABLE] = os.path.abspath(config_path)
    else:
        env.pop(CONFIG_VARIABLE, None)
    return env


def check_scenarios(config_path: str | None) -> None:
    """Build every teaching scenario on the config's commissioner, so that a config the page cannot use
    stops here with a one-line error, not in the browser."""
    from pcsim.viz.scenarios import SCENARIOS
    from pcsim.viz.world import CONFIG_VARIABLE, TeachingModel

    saved = os.environ.get(CONFIG_VARIABLE)
    if config_path is not None:
        os.environ[CONFIG_VARIABLE] = os.path.abspath(config_path)
    try:
        for label in SCENARIOS:
            try:
                TeachingModel(regime=label)
            except ConfigError as error:
                raise ConfigError(f"{config_path}: the teaching scenario {label!r} cannot run on it: {error}") from None
    finally:
        if saved is None:
            os.environ.pop(CONFIG_VARIABLE, None)
        else:
            os.environ[CONFIG_VARIABLE] = saved


def check_address(host: str, port: int) -> None:
    """A ConfigError unless the page can be served at ``host``:``port`` (a port number, free)."""
    if not 0 < port < 65536:
        raise ConfigError(f"--port = {port} is not a port number (1 to 65535)")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise ConfigError(f"--host {host} --port {port}: cannot serve there ({error.strerror}); choose another "
                          f"--port, or stop what is using it") from None


def main(args) -> int:
    from pcsim import config as configs

    check_address(args.host, args.port)
    if args.config is not None:
        configs.load(args.config)                       # a bad config stops here, not in the browser
    check_scenarios(args.config)
    solara = shutil.which("solara", path=os.path.dirname(sys.executable)) or shutil.which("solara")
    if solara is None:
        raise ConfigError("solara is not installed: run scripts/install")
    print(f"pcsim viz: open http://{args.host}:{args.port} in a browser (Ctrl-C stops)", flush=True)
    os.execve(solara, server_command(solara, args.host, args.port), server_environment(dict(os.environ), args.config))
