"""The reference commands: ``pcsim params``, ``pcsim schemes`` and ``pcsim docs``."""

from __future__ import annotations

import textwrap

from pcsim.cli.common import ConfigError


def add(commands) -> None:
    params = commands.add_parser("params", help="list every parameter: default, unit, ranges, source",
                                 description="List the parameter table (the names --set and configs use), with "
                                             "each parameter's plausible range and valid range.")
    params.add_argument("section", nargs="?", default=None, help="only this section, e.g. motivation")
    params.set_defaults(handler=list_params)
    schemes = commands.add_parser("schemes", help="list the schemes a policy can contain, with their designs",
                                  description="List the schemes a [[policy]] timeline can contain: their fields "
                                              "and the design features that decide how they are felt.")
    schemes.set_defaults(handler=list_schemes)
    docs = commands.add_parser("docs", help="regenerate the tables of docs/ODD.md from the code",
                               description="Rewrite the generated tables (parameters, outputs) of docs/ODD.md.")
    docs.add_argument("--check", action="store_true", help="only check; exit 1 if the tables are out of date")
    docs.set_defaults(handler=update_docs)


def list_params(args) -> int:
    from pcsim.config import suggest
    from pcsim.inputs.parameters import SECTIONS, TABLE

    rows = [p for p in TABLE if args.section in (None, p.section)]
    if not rows:
        raise ConfigError(f"no parameter section {args.section!r}{suggest(args.section, SECTIONS)}; known sections: "
                          f"{', '.join(dict.fromkeys(p.section for p in TABLE))}")
    print("plausible: where the value probably lies, what sensitivity analyses sample (a run outside it warns);\n"
          "valid: what the model can represent, what a config or --set may give (outside it is refused)\n")
    for p in rows:
        low, high = p.allowed
        print(f"{p.name}  = {p.default:g}  [{p.unit}]  plausible {p.low:g} to {p.high:g}; valid {low:g} to {high:g}")
        print(textwrap.indent(textwrap.fill(p.meaning, 90), "    "))
        print(textwrap.indent(textwrap.fill("source: " + p.source, 90), "    "))
    return 0




def list_schemes(args) -> int:
    from pcsim.config import DESIGN_FIELDS, SCHEMES
    from pcsim.inputs.indicators import DEFAULT

    print("Each scheme has its own fields and a design (the [design] features below, overridable in a config's\n"
          "`design = {...}`); how a design is felt is the perception submodel's answer (docs/ODD.md 7.3a).\n")
    for name, cls in sorted(SCHEMES.items()):
        print(f"{name}: {cls.summary}")
        for key, spec_field in cls.fields.items():
            print(f"    {key} (default {spec_field.default!r}): {spec_field.meaning}")
        defaults = {key: spec_field.default for key, spec_field in cls.fields.items()}
        design = cls.default_design(defaults, {"indicator_codes": DEFAULT.codes})
        print("    design: " + ", ".join(f"{key} = {design[key]!r}" for key in DESIGN_FIELDS))
    return 0


def update_docs(args) -> int:
    from pcsim import docs

    current = docs.update(check=args.check)
    print(f"{docs.ODD}: " + ("up to date" if current else "out of date; run `pcsim docs`"))
    return 0 if current else 1
