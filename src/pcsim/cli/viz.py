"""``pcsim viz``: the teaching page."""

from __future__ import annotations

import os
import shutil
import sys

from pcsim.cli.common import command, ConfigError

VIZ_HELP = """\
Serve the teaching visualisation on this machine (it needs no internet
access). Students choose a regime or a whole teaching scenario, change its key
levers (payment per point, GBP per patient, number of schemes, protected time,
the commissioner's stance, learning-set facilitation), then step or play the
model and watch the practice network, GPs' motivations, recorded against
delivered care, admissions and money respond.

examples:
  pcsim viz                       # http://127.0.0.1:8765
  pcsim viz configs/default.toml --port 8800
"""


def add(commands) -> None:
    viz = command(commands, "viz", "the teaching visualisation in the browser (Mesa SolaraViz)", VIZ_HELP)
    viz.add_argument("config", nargs="?", default=None,
                     help="a TOML config whose commissioner the class works on (default: the default commissioner)")
    viz.add_argument("--host", default="127.0.0.1", help="address to serve on (default: %(default)s, this machine)")
    viz.add_argument("--port", type=int, default=8765, help="port (default: %(default)s)")
    viz.set_defaults(handler=main)


def main(args) -> int:
    import os
    import shutil

    from pcsim.viz import app

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port = {args.port} is not a port number (1 to 65535)")
    from pcsim import config as configs
    from pcsim.viz.page import CONFIG_VARIABLE

    if args.config is not None:
        configs.load(args.config)                       # a bad config stops here, not in the browser
        os.environ[CONFIG_VARIABLE] = os.path.abspath(args.config)
    solara = shutil.which("solara", path=os.path.dirname(sys.executable)) or shutil.which("solara")
    if solara is None:
        raise ConfigError("solara is not installed: run scripts/install")
    print(f"pcsim viz: open http://{args.host}:{args.port} in a browser (Ctrl-C stops)", flush=True)
    os.execv(solara, [solara, "run", app.__file__, "--host", args.host, "--port", str(args.port), "--no-open",
                      "--production"])
