"""``pcsim compare``: policies on common seeds, with paired intervals."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import command, ConfigError
from pcsim.schemes.policies import DEFAULT_COMPARISON

COMPARE_HELP = """\
Run each named policy on the same seeds (common random numbers) and report,
for the key outcomes (emergency admissions, delivered indicator and holistic
care, continuity, the four motivations, morale, GP exits, spend and net
savings), each policy's mean and its paired difference from the first policy
with a 95% interval. Writes comparison.csv, runs.csv (one row per policy and
replicate), comparison.png and manifest.json.

Policies are named bundles of schemes: built in, status_quo,
micro_incentives and investment_fund (see src/pcsim/schemes/policies.py); a config
adds its own with [[policies.NAME]] tables.

examples:
  pcsim compare                                  # the mission's question on the default commissioner
  pcsim compare --replicates 50 --months 60
  pcsim compare --policies status_quo,investment_fund --set investment.funding_per_patient=21
"""


def add(commands) -> None:
    cmp = command(commands, "compare", "compare policies on common seeds, with paired 95%% intervals", COMPARE_HELP)
    cmp.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    cmp.add_argument("--policies", default=",".join(DEFAULT_COMPARISON),
                     help="comma-separated named policies; the first is the baseline (default: %(default)s)")
    cmp.add_argument("--replicates", type=int, default=20, help="seeds each policy runs on (default: 20)")
    cmp.add_argument("--months", type=int, default=None, help="months to simulate (default: the config's, 120)")
    cmp.add_argument("--seed", type=int, default=None, help="base seed the replicates' seeds derive from")
    cmp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override any config key, as for `pcsim run`")
    cmp.add_argument("--out", default=None, metavar="DIR",
                     help="where to write (default: results/compare/<name>-<time>)")
    cmp.set_defaults(handler=main)


def main(args) -> int:
    from tqdm.auto import tqdm

    from pcsim import config as configs
    from pcsim.experiments import compare
    from pcsim.experiments import provenance
    from pcsim.experiments.runner import RESULTS, stamp

    if args.replicates < 2:
        raise ConfigError(f"--replicates = {args.replicates}: paired intervals need at least 2 replicates")
    if args.months is not None and args.months <= 0:
        raise ConfigError(f"--months = {args.months} must be a positive number of months")
    config = configs.resolve(configs.load(args.config, args.overrides), seed=args.seed, months=args.months)
    policies = [p.strip() for p in args.policies.split(",") if p.strip()]
    if len(policies) < 2:
        raise ConfigError(f"--policies {args.policies!r}: name at least two policies to compare")
    for name in policies:
        config.with_policy(name)                     # every policy checked before anything runs
    started = provenance.now()
    with tqdm(total=len(policies) * args.replicates, unit="run", desc="comparing", disable=None) as bar:
        comparison = compare.compare(config, policies, args.replicates, bar)
    out = Path(args.out) if args.out else RESULTS / "compare" / f"{config.run['name']}-{stamp()}"
    compare.write_comparison(comparison, config, out, started)
    print(compare.comparison_text(comparison))
    print(f"wrote {out}/ (comparison.csv, runs.csv, comparison.png, manifest.json)")
    return 0
