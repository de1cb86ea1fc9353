"""The four Mesa agent types, as readable views of the engine's arrays.

The state lives in NumPy arrays (:mod:`pcsim.model.engine`) so that a month is a
handful of vectorised operations; each agent reads and writes its own slice,
so that a student can still write ``gp.motivation.autonomy`` or
``practice.gps``. A :class:`~pcsim.model.mesa_model.PrimaryCareModel` shows one
run of its Simulation (``model.run``, any run of a batch); practices sit on the
cells of the practice network (``model.network``, a Mesa ``Network`` space), so
``practice.tied_practices`` are its neighbours there.
"""

from __future__ import annotations

import mesa
from mesa.discrete_space import FixedAgent

from pcsim.model import commissioner as commissioning
from pcsim.model import hospital as hospital_model
from pcsim.model import innovation
from pcsim.model import workforce
from pcsim.model.engine import AUTONOMY, CLINICAL_CARE, INNOVATOR, MOTIVATIONS, PEER_JUDGEMENT, TIME_USES

class Motivation:
    """A GP's four motivations [Miller18], each a level in [0, 1]; assignable."""

    def __init__(self, sim, index: int, run: int):
        self._sim, self._index, self._run = sim, index, run

    def _get(self, which: int) -> float:
        return float(self._sim.motivation[which, self._run, self._index])

    def _set(self, which: int, value: float) -> None:
        self._sim.motivation[which, self._run, self._index] = min(max(value, 0.0), 1.0)

    clinical_care = property(lambda self: self._get(CLINICAL_CARE), lambda self, v: self._set(CLINICAL_CARE, v),
                             doc="Motivation to improve clinical care.")
    autonomy = property(lambda self: self._get(AUTONOMY), lambda self, v: self._set(AUTONOMY, v),
                        doc="Motivation for organisational autonomy.")
    innovator = property(lambda self: self._get(INNOVATOR), lambda self, v: self._set(INNOVATOR, v),
                         doc="Identity as an innovator.")
    peer_judgement = property(lambda self: self._get(PEER_JUDGEMENT), lambda self, v: self._set(PEER_JUDGEMENT, v),
                              doc="Concern for peers' judgement.")

    def as_dict(self) -> dict[str, float]:
        return {name: self._get(i) for i, name in enumerate(MOTIVATIONS)}

    def __repr__(self) -> str:
        return "Motivation(" + ", ".join(f"{k}={v:.2f}" for k, v in self.as_dict().items()) + ")"


class ArrayView:
    """An agent that is a view of element ``index`` of the engine's arrays, in the run its model shows."""

    @property
    def _sim(self):
        return self.model.sim


class GP(ArrayView, mesa.Agent):
    """A GP post and the GP holding it (a vacant post has ``in_post`` False)."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.motivation = Motivation(model.sim, index, model.run)

    @property
    def practice(self) -> Practice:
        return self.model.practices[int(self._sim.structure.gp_practice[self.index])]

    @property
    def in_post(self) -> bool:
        return bool(self._sim.in_post[self.model.run, self.index])

    @property
    def employment(self) -> str:
        return workforce.EMPLOYMENT[int(self._sim.employment[self.model.run, self.index])]

    @property
    def self_efficacy(self) -> float:
        return float(self._sim.self_efficacy[self.model.run, self.index])

    @property
    def morale(self) -> float:
        return float(self._sim.morale[self.model.run, self.index])

    @property
    def burnout(self) -> float:
        return float(self._sim.burnout[self.model.run, self.index])

    @property
    def hours(self) -> dict[str, float]:
        """Last month's hours by use (core, admin, incentivised, holistic, transformation, overtime)."""
        time = self._sim.last.time
        if time is None:
            return dict.fromkeys(TIME_USES, 0.0)
        return {use: float(time[i, self.model.run, self.index]) for i, use in enumerate(TIME_USES)}

    @property
    def leaving_chance(self) -> float:
        """Chance of leaving next month at current burnout and morale."""
        hazard = workforce.leaving_hazard(self.burnout, self.morale, self._sim.params)
        return float(hazard[self.model.run, 0]) if self.in_post else 0.0


class Practice(ArrayView, FixedAgent):
    """A GP practice (or a site of a multi-site practice), on its cell of the practice network."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.gps: list[GP] = []

    @property
    def list_size(self) -> int:
        return int(self._sim.structure.list_size[self.index])

    @property
    def needs(self) -> float:
        return float(self._sim.structure.needs[self.index])

    @property
    def grouping(self) -> str:
        return self._sim.structure.grouping_names[self._sim.structure.practice_grouping[self.index]]

    @property
    def commissioner(self) -> Commissioner:
        return self.model.commissioners[int(self._sim.structure.practice_commissioner[self.index])]

    @property
    def hospital(self) -> Hospital:
        return self.model.hospitals[int(self._sim.structure.practice_hospital[self.index])]

    @property
    def change_infrastructure(self) -> float:
        return float(self._sim.structure.infrastructure[self.index])

    @property
    def quality_delivered(self) -> dict[str, float]:
        codes = self._sim.catalogue.codes
        return {c: float(self._sim.delivered[k, self.model.run, self.index]) for k, c in enumerate(codes)}

    @property
    def quality_recorded(self) -> dict[str, float]:
        codes = self._sim.catalogue.codes
        return {c: float(self._sim.recorded[k, self.model.run, self.index]) for k, c in enumerate(codes)}

    @property
    def holistic_quality(self) -> float:
        return float(self._sim.holistic[self.model.run, self.index])

    @property
    def continuity(self) -> float:
        return float(self._sim.continuity[self.model.run, self.index])

    @property
    def enablers(self) -> dict[str, bool]:
        return {e: bool(self._sim.enablers[i, self.model.run, self.index]) for i, e in enumerate(hospital_model.ENABLERS)}

    @property
    def tied_practices(self) -> list[Practice]:
        """The practices this one is tied to (its neighbours on the practice network)."""
        return [cell.agents[0] for cell in self.cell.neighborhood if cell.agents]

    @property
    def peer_exposure(self) -> float:
        """Exposure of its GPs to peers' judgement this month, 0-1."""
        return float(self._sim.peer_exposure[self.model.run, self.index])

    @property
    def innovation_stage(self) -> str:
        grouping = self._sim.structure.practice_grouping[self.index]
        return innovation.STAGES[int(self._sim.projects.furthest[self.model.run, grouping])]

    @property
    def income(self) -> dict[str, float]:
        """Income by source to date (GBP)."""
        return {s: float(self._sim.income_to_date[i, self.model.run, self.index]) for i, s in enumerate(commissioning.SOURCES)}


class Commissioner(ArrayView, mesa.Agent):
    """A commissioner (CCG / ICB): pays practices and hospitals, sees data late, holds a stance."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def patients(self) -> int:
        return int(self._sim.structure.patients_per_commissioner[self.index])

    @property
    def budget_per_year(self) -> float:
        return self.patients * float(self._sim.params.commissioner.budget_per_patient_year[self.model.run, 0])

    @property
    def stance(self) -> float:
        """0 contract enforcer, 1 partner in uncertainty [Miller18]."""
        return float(self._sim.stance[self.model.run, self.index])

    @property
    def practices(self) -> list[Practice]:
        return [p for p in self.model.practices if p.commissioner is self]

    def output(self, column: int) -> float:
        """Last month's value of a monthly output column (by position)."""
        return float(self._sim.outputs.monthly[self._sim.month - 1, column, self.model.run, self.index])


class Hospital(ArrayView, mesa.Agent):
    """An acute trust: admits its practices' patients in emergencies and runs diagnostics."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def commissioner(self) -> Commissioner:
        return self.model.commissioners[int(self._sim.structure.hospital_commissioner[self.index])]

    @property
    def emergency_admissions(self) -> float:
        """Last month's emergency admissions, all conditions."""
        last = self._sim.last
        if last.admissions is None:
            return 0.0
        return float(self._sim.practice_hospital.sum(last.admissions.sum(axis=0))[self.model.run, self.index])

    @property
    def cost(self) -> float:
        """Last month's income at tariff (GBP)."""
        return 0.0 if self._sim.last.hospital_cost is None else float(self._sim.last.hospital_cost[self.model.run, self.index])
