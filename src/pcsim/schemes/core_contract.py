"""The status quo: the core GP contract, capitation only.

Practices are paid a capitation for each registered patient, weighted by need
(the GMS global sum is paid per *weighted* patient, Carr-Hill formula), monthly.
Nothing else is paid for; the commissioner's contract monitoring still applies.
"""

from __future__ import annotations

from pcsim.schemes.base import Scheme, register


@register
class CoreContract(Scheme):
    name = "core_contract"
    summary = "Capitation only: the status quo."

    def pay(self, month, ledger):
        structure = self.world.structure
        rate = self.world.params.commissioner.capitation_per_patient_year / 12
        ledger.pay("capitation", rate * structure.list_size * structure.needs)
