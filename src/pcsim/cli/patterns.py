"""``pcsim patterns``: the patterns of MODEL.md section 6, each with and without the mechanism that causes it."""

from __future__ import annotations

from pathlib import Path

from pcsim.cli.common import ConfigError, command

PATTERNS_HELP = """\
Evaluate every pattern of MODEL.md section 6 (1-12) on replicate seeds, each a
few paired comparisons whose sizes must lie between a lower and an upper bound.
With --knockouts, evaluate each again with the mechanism docs/ODD.md names as
its cause switched off (a design feature or a parameter at its null, named in
the output): a pattern counts as reproduced only if it holds with its mechanism
and fails without it. Writes patterns.csv (pattern, holds, mechanism,
holds_knocked_out, statistic, statistic_knocked_out, ...), checks.csv (every
check, with and without the mechanism) and manifest.json, and prints the table.

examples:
  pcsim patterns --quick --knockouts        # 5 seeds (more for the noisy patterns), about a minute
  pcsim patterns --knockouts --seeds 20
  pcsim patterns --only 6,8 --knockouts
"""


def add(commands) -> None:
    patterns = command(commands, "patterns", "check the patterns of MODEL.md section 6, and their knock-outs",
                       PATTERNS_HELP)
    patterns.add_argument("--quick", action="store_true", help="5 replicate seeds instead of 10 (CI, drafts)")
    patterns.add_argument("--seeds", type=int, default=None, help="replicate seeds (default: 10, or 5 with --quick)")
    patterns.add_argument("--seed", type=int, default=1, help="base seed the replicates' seeds derive from (default: 1)")
    patterns.add_argument("--knockouts", action="store_true",
                          help="also evaluate each pattern with its mechanism knocked out")
    patterns.add_argument("--only", default=None, metavar="NUMBERS", help="comma-separated pattern numbers (default: all)")
    patterns.add_argument("--out", default=None, metavar="DIR", help="where to write (default: results/patterns/<time>)")
    patterns.set_defaults(handler=main)


def main(args) -> int:
    from tqdm.auto import tqdm

    from pcsim.experiments import compare, provenance
    from pcsim.experiments import patterns as checks
    from pcsim.experiments.runner import RESULTS, stamp

    count = args.seeds if args.seeds is not None else (5 if args.quick else 10)
    if count < 2:
        raise ConfigError(f"--seeds = {count}: a pattern needs at least 2 seeds for a standard error")
    only = _numbers(args.only, checks.PATTERNS)
    seeds = [compare.replicate_seed(args.seed, r) for r in range(count)]
    started = provenance.now()
    with tqdm(total=len(only), desc="patterns", unit="pattern", disable=None) as bar:
        verdicts = checks.scorecard(seeds, bar.update, knockouts=args.knockouts, only=only)
    table, every_check = checks.tables(verdicts)
    out = Path(args.out) if args.out else RESULTS / "patterns" / stamp()
    out.mkdir(parents=True, exist_ok=True)
    provenance.write_atomic(out / "patterns.csv", lambda tmp: table.to_csv(tmp, index=False))
    provenance.write_atomic(out / "checks.csv", lambda tmp: every_check.to_csv(tmp, index=False))
    from pcsim import config as configs

    provenance.write_json(out / "manifest.json", provenance.manifest(configs.load(), started, {
        "experiment": "patterns", "seeds": seeds, "knockouts": args.knockouts, "patterns": only}))
    print(checks.table_text(table))
    holding = int(table["holds"].sum())
    summary = f"{holding} of {len(table)} patterns hold"
    if args.knockouts:
        reproduced = int((table["holds"] & ~table["holds_knocked_out"]).sum())
        summary += f"; {reproduced} of them fail with their mechanism knocked out (reproduced)"
    print(f"{summary} ({count} seeds; {2 * count} for pattern 5, {4 * count} for patterns 6 and 11); wrote {out}/ "
          f"(patterns.csv, checks.csv, manifest.json)")
    return 0


def _numbers(text: str | None, known) -> list[int]:
    if text is None:
        return sorted(known)
    try:
        numbers = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConfigError(f"--only {text!r}: give pattern numbers separated by commas, e.g. 1,6,8") from None
    unknown = [n for n in numbers if n not in known]
    if unknown or not numbers:
        raise ConfigError(f"--only {text!r}: no pattern {unknown[0] if unknown else ''}; patterns are "
                          f"{min(known)}-{max(known)}")
    return sorted(set(numbers))
