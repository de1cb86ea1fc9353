"""The ODD description's generated tables match the code's tables."""

from __future__ import annotations

from pcsim import docs
from pcsim.inputs.parameters import TABLE
from pcsim.model.outputs import COLUMNS


def test_odd_tables_are_generated_from_the_code():
    text = docs.ODD.read_text()
    assert docs.render(text) == text, "docs/ODD.md is out of date: run `pcsim docs`"
    for p in TABLE:
        assert f"`{p.name}`" in text
    for column in COLUMNS:
        assert f"`{column}`" in text


def test_every_parameter_has_a_source_a_unit_and_a_sane_range():
    for p in TABLE:
        assert p.source and p.unit and p.meaning, p.name
        assert p.low <= p.default <= p.high, p.name
        low, high = p.allowed
        assert low <= p.low and p.high <= high, p.name
