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
  recording without care (:func:`pcsim.quality.toward`);
* it costs reporting time and is felt as control (crowding out);
* published achievement exposes practices to their peers;
* payment follows the record: aspiration payments monthly, the balance at the
  end of each QOF year (:class:`pcsim.incentives.AnnualPayments`).

Any indicator can be withdrawn at a chosen month (``withdraw = {CODE = month}``),
as the real QOF retired indicators; what then happens to recorded and
delivered care is the model's output, not an assumption.
"""

from __future__ import annotations

import numpy as np

from pcsim import incentives
from pcsim.config import ConfigError, Field
from pcsim.schemes import Scheme, register


@register
class QOF(Scheme):
    name = "qof"
    summary = "Quality and Outcomes Framework: points for recorded indicator care, paid annually in arrears."
    fields = {
        "indicators": Field(list, [], meaning="Indicator codes the scheme pays for (empty: the whole catalogue)."),
        "withdraw": Field(dict, {}, meaning="Indicators withdrawn from the scheme, as {CODE = month}."),
        "exception_reporting": Field(bool, True, meaning="Whether practices may exception-report patients."),
    }

    @classmethod
    def validate(cls, where, spec, context):
        out = super().validate(where, spec, context)
        codes = context["indicator_codes"]
        chosen = out["indicators"] or list(codes)
        for code in chosen:
            if code not in codes:
                raise ConfigError(f"{where}.indicators: {code!r} is not an indicator; known: {', '.join(codes)}")
        for code, month in out["withdraw"].items():
            if code not in chosen:
                raise ConfigError(f"{where}.withdraw: {code!r} is not one of the scheme's indicators")
            if isinstance(month, bool) or not isinstance(month, int):
                raise ConfigError(f"{where}.withdraw.{code} = {month!r} has the wrong type: expected a month number")
            last = min(context["end"], context["months"]) - 1
            if not context["start"] < month <= last:
                raise ConfigError(f"{where}.withdraw.{code} = {month} is outside the run and scheme: allowed "
                                  f"{context['start'] + 1} to {last} (the scheme runs months {context['start']}-"
                                  f"{context['end'] - 1}, the run {context['months']} months)")
        out["indicators"] = chosen
        return out

    def __init__(self, spec, sim):
        super().__init__(spec, sim)
        codes = sim.catalogue.codes
        self.paid = np.array([c in self.settings["indicators"] for c in codes])
        self.withdrawn_from = np.array([self.settings["withdraw"].get(c, np.inf) for c in codes], dtype=float)
        cat = sim.catalogue
        self.lower = np.array([i.lower for i in cat.indicators])[:, None, None]
        self.upper = np.array([i.upper for i in cat.indicators])[:, None, None]
        self.recording = ~cat.is_action
        self.payments = incentives.AnnualPayments(self.start)

    def in_scheme(self, month: int) -> np.ndarray:
        return self.paid & (month < self.withdrawn_from)

    def _exception_rate(self, sim):
        return sim.p.qof.exception_rate if self.settings["exception_reporting"] else 0.0

    def annual_value(self, sim, month):
        """Annual value (GBP) of each indicator's current achievement per practice: (K, R, P)."""
        s, cat = sim.structure, sim.catalogue
        achieved = incentives.achievement(sim.recorded, self._exception_rate(sim))
        per_point = sim.p.qof.payment_per_point * s.list_size / incentives.AVERAGE_LIST_SIZE
        share = incentives.points_share(achieved, self.lower, self.upper)
        return self.in_scheme(month)[:, None, None] * cat.points[:, None, None] * per_point * share

    def shape(self, sim, month, levers):
        s, cat, p = sim.structure, sim.catalogue, sim.p
        paid = self.in_scheme(month)
        k = paid[:, None, None]
        per_point = p.qof.payment_per_point * s.list_size / incentives.AVERAGE_LIST_SIZE
        pot = (cat.points * paid).sum() * per_point                                  # GBP a year at full marks
        hours = cat.hours_needed_per_1000[:, None, None] * s.list_size / 1000 * s.needs * 12
        achieved = incentives.achievement(sim.recorded, self._exception_rate(sim))
        per_hour = cat.points[:, None, None] * per_point / hours * incentives.marginal_share(achieved, self.upper)
        levers.pay_per_hour = levers.pay_per_hour + k * per_hour * incentives.salience(pot, p)
        levers.in_scheme = levers.in_scheme | paid
        levers.coding_target = np.where(k, 1.0, levers.coding_target)
        gap = np.maximum(cat.ceiling[:, None, None] - sim.delivered, 0.0)
        gaming = (k & self.recording[:, None, None]) * p.qof.gaming_share * gap
        levers.record_only_target = np.maximum(levers.record_only_target, gaming)
        posts = np.bincount(s.gp_practice, minlength=s.n_practices)
        levers.admin_hours_per_gp = levers.admin_hours_per_gp + incentives.admin_hours_per_gp(1, paid.sum(), posts, p)
        levers.control = incentives.combine_control(levers.control, p.incentives.control_per_scheme)
        levers.peer_exposure = np.maximum(levers.peer_exposure, p.incentives.peer_exposure)
        levers.schemes = levers.schemes + 1

    def pay(self, sim, month, ledger):
        value = self.annual_value(sim, month).sum(axis=0)
        ledger.pay("incentives", self.payments.pay(month, value))
