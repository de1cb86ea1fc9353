"""PrimaryCareModel: the Mesa model of a commissioner's primary care.

One ``step`` is one month in the process order of MODEL.md section 4 (see
:class:`pcsim.simulation.Simulation`). The agents - :class:`Commissioner`,
:class:`Hospital`, :class:`Practice` and :class:`GP` - are views of the
engine's arrays; Mesa's ``DataCollector`` collects each commissioner's monthly
outputs (:data:`pcsim.outputs.MONTHLY`).
"""

from __future__ import annotations

import mesa
import pandas as pd

from pcsim import config as configs
from pcsim.model.agents import GP, Commissioner, Hospital, Practice
from pcsim.model.engine import Simulation
from pcsim.model.outputs import COLUMNS


class PrimaryCareModel(mesa.Model):
    """A commissioner's GP practices, GPs and hospitals under a policy timeline.

    ``config`` is a path to a TOML file, a :class:`~pcsim.config.Config`, a dict of sections,
    or None for the defaults; ``seed``, ``months`` and dotted ``overrides``
    (``{"demand.growth_per_year": 0.02}``) change it.
    """

    def __init__(self, config=None, *, seed: int | None = None, months: int | None = None,
                 overrides: dict | None = None):
        self.config = configs.resolve(config, seed=seed, months=months, overrides=overrides)
        super().__init__(rng=self.config.seed)
        self.sim = Simulation(self.config)
        structure = self.sim.structure
        self.commissioners = [Commissioner(self, c) for c in range(structure.n_commissioners)]
        self.hospitals = [Hospital(self, h) for h in range(structure.n_hospitals)]
        self.practices = [Practice(self, i) for i in range(structure.n_practices)]
        self.gps = [GP(self, g) for g in range(structure.n_gps)]
        for gp in self.gps:
            gp.practice.gps.append(gp)
        self.datacollector = mesa.DataCollector(agenttype_reporters={
            Commissioner: {name: _reporter(i) for i, name in enumerate(COLUMNS)}})

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.sim.month

    @property
    def running(self) -> bool:
        return self.sim.month < self.config.months

    @running.setter
    def running(self, value) -> None:  # Mesa's Model sets it at start-up
        pass

    def step(self) -> None:
        """One month: schemes, demand, time, motivation, quality, innovation, hospital, commissioner."""
        self.sim.step()
        self.datacollector.collect(self)

    def monthly(self) -> pd.DataFrame:
        """The monthly outputs collected so far: one row per month and commissioner."""
        frame = self.datacollector.get_agenttype_vars_dataframe(Commissioner).reset_index()
        by_id = {agent.unique_id: agent.index for agent in self.commissioners}
        frame.insert(0, "commissioner", frame.pop("AgentID").map(by_id))
        frame.insert(0, "month", (frame.pop("Step") - 1).astype(int))
        return frame[["month", "commissioner", *COLUMNS]].sort_values(["month", "commissioner"],
                                                                      ignore_index=True)

    def groupings(self) -> pd.DataFrame:
        """Named groupings month by month: selection, enablers, innovation, learning sets, spend, morale."""
        return self.sim.outputs.groupings_frame(self.sim.structure, months=self.sim.month)

    def indicators(self) -> pd.DataFrame:
        """Recorded and delivered care per indicator: one row per month, commissioner and indicator."""
        return self.sim.outputs.indicators_frame(self.sim.catalogue, months=self.sim.month)


def _reporter(column: int):
    return lambda commissioner: commissioner.output(column)
