"""``pcsim compare``: policies on common seeds, with paired intervals."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import ConfigError, command, warn
from pcsim.schemes.policies import BUILT_IN, DEFAULT_COMPARISON

COMPARE_HELP = """\
Run each named policy on the same seeds (common random numbers) and report,
for the key outcomes (emergency admissions, delivered indicator and holistic
care, continuity, the four motivations, morale, GP exits, spend and net
savings), each policy's mean and its paired difference from the first policy
with a 95% interval. Writes comparison.csv, runs.csv (one row per policy and
replicate), comparison.png and manifest.json.

Policies are named bundles of schemes: built in, status_quo,
micro_incentives, investment_fund and investment_fund_all (see
src/pcsim/schemes/policies.py); a config adds its own with [[policies.NAME]]
tables, and they are compared too unless --policies names others. The
printed table starts with a one-line answer per policy.

examples:
  pcsim compare                                  # the mission's question on the default commissioner
  pcsim compare --replicates 50 --months 60
  pcsim compare experiments/compare.toml         # the three policies and the config's own qof_focused
  pcsim compare --policies status_quo,investment_fund --set investment.funding_per_patient=21
"""


def add(commands) -> None:
    cmp = command(commands, "compare", "compare policies on common seeds, with paired 95%% intervals", COMPARE_HELP)
    cmp.add_argument("config", nargs="?", default=None, help="a TOML config (default: the default commissioner)")
    cmp.add_argument("--policies", default=None,
                     help="comma-separated named policies; the first is the baseline (default: "
                          f"{','.join(DEFAULT_COMPARISON)}, then the config's own [[policies.NAME]])")
    cmp.add_argument("--replicates", type=int, default=20, help="seeds each policy runs on (default: 20)")
    cmp.add_argument("--months", type=int, default=None,
                     help="months to simulate (default: the config's, 120); a scheme of a policy that would "
                          "start after the run ends is left out, with a note")
    cmp.add_argument("--seed", type=int, default=None, help="base seed the replicates' seeds derive from")
    cmp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override any config key, as for `pcsim run`")
    cmp.add_argument("--out", default=None, metavar="DIR",
                     help="a new or empty folder to write (default: results/compare/<name>-<time>)")
    cmp.set_defaults(handler=main)


def policies_of(given: str | None, config) -> list[str]:
    """The policies to compare: those named, or the three of the mission and the config's own."""
    if given is None:
        own = [name for name in config.policies if name not in BUILT_IN]
        return [*DEFAULT_COMPARISON, *own]
    policies = [p.strip() for p in given.split(",") if p.strip()]
    if len(policies) < 2:
        raise ConfigError(f"--policies {given!r}: name at least two policies to compare, separated by commas")
    repeated = sorted({p for p in policies if policies.count(p) > 1})
    if repeated:
        raise ConfigError(f"--policies {given!r} names {', '.join(repeated)} twice: name each policy once")
    return policies


def main(args) -> int:
    from tqdm.auto import tqdm

    from pcsim import config as configs
    from pcsim.experiments import compare, folders, provenance

    if args.replicates < 2:
        raise ConfigError(f"--replicates = {args.replicates}: paired intervals need at least 2 replicates")
    if args.months is not None and not 1 <= args.months <= 1200:
        raise ConfigError(f"--months = {args.months}: allowed 1 to 1200 months")
    if args.seed is not None and args.seed < 0:
        raise ConfigError(f"--seed = {args.seed}: allowed 0 or more")
    if args.out is not None:
        folders.check_new_folder(args.out)
    config = configs.resolve(configs.load(args.config, args.overrides), seed=args.seed, months=args.months)
    policies = policies_of(args.policies, config)
    arms = [config.with_policy(name) for name in policies]     # every policy checked before anything runs
    for arm in arms:
        warn(arm)
    started = provenance.now()
    with tqdm(total=len(policies) * args.replicates, unit="run", desc="comparing", disable=None) as bar:
        comparison = compare.compare(config, policies, args.replicates, bar)
    out = compare.write_comparison(comparison, config, Path(args.out) if args.out else None, started)
    print(compare.comparison_text(comparison, config.months))
    print(f"wrote {out}/ (comparison.csv, runs.csv, comparison.png, manifest.json)")
    return 0
