"""QOF-style pay for performance: points for indicators, paid on the record, in arrears.

The Quality and Outcomes Framework (2004-) pays practices points for the
share of eligible patients whose record shows an indicator met, between a
lower and an upper threshold [Miller18 intro; Nuffield15]. In the model:

* each paid indicator is worth, per hour of the work its patients need, its
  annual value (points x payment per point x list size / average list) spread
  over those hours; this is the income an hour of incentivised work brings,
  scaled by how much of the scheme a practice notices (salience) and by
  whether more work still earns (below the upper threshold);
* paying for a record pulls coding of delivered care towards complete, and
  for *recording* indicators lets some of the gap to the ceiling be closed by
  recording without care (:func:`pcsim.model.quality.toward`);
* practices spend part of the income on nurse time for the paid indicators;
* it costs reporting time and is felt as control (crowding out);
* published achievement exposes practices to their peers;
* payment follows the record: aspiration payments monthly, the balance at the
  end of each QOF year (:class:`pcsim.schemes.incentives.AnnualPayments`).

Any indicator can be withdrawn at a chosen month (``withdraw = {CODE = month}``),
as the real QOF retired indicators; what then happens to recorded and
delivered care is the model's output, not an assumption.
"""

from __future__ import annotations

import numpy as np

from pcsim.config import ConfigError, Field, require_known
from pcsim.model.perception import salience
from pcsim.schemes import incentives
from pcsim.schemes.base import Scheme, register


@register
class QOF(Scheme):
    name = "qof"
    summary = "Quality and Outcomes Framework: points for recorded indicator care, paid annually in arrears."
    fields = {
        "indicators": Field(list, [], meaning="Indicator codes the scheme pays for (empty: the whole catalogue)."),
        "withdraw": Field(dict, {}, meaning="Indicators withdrawn from the scheme, as {CODE = month}."),
        "exception_reporting": Field(bool, True, meaning="Whether practices may exception-report patients."),
    }
    # QOF's design: all the money on recorded achievement, paid in arrears, narrow targets specified as
    # codes and thresholds, audited, published for every practice [Miller18 intro; Nuffield15].
    design = {"contingent": 1.0, "paid": "in_arrears", "measures": "records", "specification": 0.6,
              "monitoring": 0.5, "discretion": 0.3, "publication": 1.0}

    @classmethod
    def default_design(cls, settings, context):
        return {**super().default_design(settings, context),
                "targets": len(settings["indicators"] or context["indicator_codes"])}

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        codes = context["indicator_codes"]
        chosen = out["indicators"] or list(codes)
        require_known(f"{where}.indicators", chosen, codes, "an indicator")
        for code, month in out["withdraw"].items():
            if code not in chosen:
                raise ConfigError(f"{where}.withdraw: {code!r} is not one of the scheme's indicators; allowed: "
                                  f"{', '.join(chosen)}")
            if isinstance(month, bool) or not isinstance(month, int):
                raise ConfigError(f"{where}.withdraw.{code} = {month!r} has the wrong type: expected a month number")
            last = min(context["end"], context["months"]) - 1
            if not context["start"] < month <= last:
                raise ConfigError(f"{where}.withdraw.{code} = {month} is outside the run and scheme: allowed "
                                  f"{context['start'] + 1} to {last} (the scheme runs months {context['start']}-"
                                  f"{context['end'] - 1}, the run {context['months']} months)")
        out["indicators"] = chosen
        return out

    def __init__(self, spec, world, stream):
        super().__init__(spec, world, stream)
        codes = world.catalogue.codes
        self.paid = np.array([c in self.settings["indicators"] for c in codes])
        self.withdrawn_from = np.array([self.settings["withdraw"].get(c, np.inf) for c in codes], dtype=float)
        self.payments = incentives.AnnualPayments(self.start, self.end)

    def in_scheme(self, month: int) -> np.ndarray:
        return self.paid & (month < self.withdrawn_from)

    def _exception_rate(self):
        return self.world.params.qof.exception_rate if self.settings["exception_reporting"] else 0.0

    def pot(self, month):
        """Each indicator's annual value at full marks per practice: points x payment per point,
        scaled by list size: (K, R, P)."""
        world = self.world
        per_point = world.params.qof.payment_per_point * world.structure.list_size / incentives.AVERAGE_LIST_SIZE
        return (self.in_scheme(month) * world.catalogue.points)[:, None, None] * per_point

    def shape(self, month, levers):
        pot = self.pot(month)
        stake = pot.sum(axis=0)
        incentives.pay_for_indicators(self.world, levers, pot, salience(stake, self.world.params), 1,
                                      self._exception_rate(), self.design)
        levers.feel(self.design, stake)

    def pay(self, month, ledger):
        """Payments per indicator (:class:`~pcsim.schemes.incentives.AnnualPayments`): a withdrawn
        indicator stops drawing aspiration payments when it goes. The design's contingent share is paid
        on achievement, the rest unconditionally."""
        pot, contingent = self.pot(month), self.design["contingent"]
        value = incentives.earned(self.world, pot, self._exception_rate())
        on_achievement = self.payments.pay(month, value, self.in_scheme(month), self.last_month(month))
        regardless = incentives.unconditional(pot.sum(axis=0), self.design["paid"], month, self.start)
        ledger.pay("incentives", contingent * on_achievement + (1 - contingent) * regardless)
