"""Generated parts of ``docs/ODD.md``: the parameter table and the monthly outputs.

The ODD description's tables are written from the code's own tables, never by
hand: ``pcsim docs`` rewrites them between their markers, and a test fails
when the file and the code disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from pcsim.inputs.parameters import TABLE
from pcsim.model.outputs import INDEX, MONTHLY

ODD = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"
BLOCKS = {"PARAMETERS": lambda: parameter_table(), "OUTPUTS": lambda: outputs_table()}


def _cell(text) -> str:
    return str(text).replace("|", "\\|")


def parameter_table() -> str:
    lines = []
    for section in dict.fromkeys(p.section for p in TABLE):
        lines += [f"**[{section}]**", "", "| name | default | unit | plausible range | meaning | source |",
                  "|---|---|---|---|---|---|"]
        for p in (p for p in TABLE if p.section == section):
            allowed = "" if p.valid is None else f" (configs may set {p.valid[0]:g} - {p.valid[1]:g})"
            lines.append(f"| `{p.name}` | {p.default:g} | {_cell(p.unit)} | {p.low:g} - {p.high:g}{allowed} | "
                         f"{_cell(p.meaning)} | {_cell(p.source)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def outputs_table() -> str:
    lines = ["| column | unit | meaning |", "|---|---|---|",
             "| `month` | month | Months since the start (0 is the first simulated month) |",
             "| `commissioner` | index | Commissioner the row describes |"]
    lines += [f"| `{name}` | {_cell(unit)} | {_cell(meaning)} |" for name, unit, meaning in MONTHLY]
    assert INDEX == ("month", "commissioner")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    """``text`` with every generated block replaced by what the code says now."""
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- BEGIN GENERATED {name} -->\n).*?(<!-- END GENERATED {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"docs/ODD.md has no <!-- BEGIN/END GENERATED {name} --> markers")
        text = pattern.sub(lambda m: m.group(1) + make() + m.group(2), text)
    return text


def update(path: Path = ODD, check: bool = False) -> bool:
    """Rewrite the generated blocks of ``path``; with ``check`` only report whether they are current."""
    text = path.read_text()
    fresh = render(text)
    if check:
        return fresh == text
    if fresh != text:
        path.write_text(fresh)
    return True
