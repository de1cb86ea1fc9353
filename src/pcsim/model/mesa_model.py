"""PrimaryCareModel: the Mesa model of a commissioner's primary care.

One ``step`` is one month in the process order of MODEL.md section 4 (see
:class:`pcsim.model.engine.Simulation`). The agents - :class:`Commissioner`,
:class:`Hospital`, :class:`Practice` and :class:`GP` - are views of the
engine's arrays, for any run of its batch (``run``); practices sit on the cells
of the practice network, a Mesa ``Network`` space built from the structure's
ties (``model.network``, and ``model.graph`` as networkx). Mesa's
``DataCollector`` collects the monthly outputs (:data:`pcsim.model.outputs.MONTHLY`)
both per commissioner (agent-type reporters) and for the whole model (model
reporters, all commissioners together), so ``get_model_vars_dataframe()``
works, and so does ``mesa.batch_run(PrimaryCareModel, parameters, rng=[...])``
with dotted parameter names written with ``__`` (``{"demand__growth_per_year":
[0.0, 0.03]}``). For sweeps of thousands of runs use ``pcsim sweep``, which
advances many runs together and keeps memory flat.
"""

from __future__ import annotations

import mesa
import networkx as nx
import pandas as pd
from mesa.discrete_space import Network

from pcsim import config as configs
from pcsim.model.agents import GP, Commissioner, Hospital, Practice
from pcsim.model.engine import Simulation
from pcsim.model import outputs
from pcsim.model.outputs import COLUMNS, events_frame


class PrimaryCareModel(mesa.Model):
    """A commissioner's GP practices, GPs and hospitals under a policy timeline.

    ``config`` is a path to a TOML file, a :class:`~pcsim.config.Config`, a dict of sections,
    or None for the defaults; ``seed``, ``months`` and dotted ``overrides``
    (``{"demand.growth_per_year": 0.02}``, or as keywords ``demand__growth_per_year=0.02``) change
    it. ``simulation`` and ``run`` show run ``run`` of an existing batch instead (stepping the model
    steps the whole batch).
    """

    def __init__(self, config=None, *, seed: int | None = None, months: int | None = None,
                 overrides: dict | None = None, simulation: Simulation | None = None, run: int = 0,
                 **parameters):
        if simulation is None:
            self.config = configs.resolve(config, seed=seed, months=months,
                                          overrides={**(overrides or {}), **parameters})
            simulation = Simulation(self.config, practices=True)
        else:
            self.config = simulation.config
            seed = simulation.seeds[run]
        super().__init__(rng=self.config.seed if seed is None else seed)
        self.sim, self.run = simulation, run
        structure = self.sim.structure
        self.graph = nx.Graph()
        self.graph.add_nodes_from(range(structure.n_practices))
        self.graph.add_edges_from(structure.practice_ties.tolist())
        self.network = Network(self.graph, layout=None, random=self.random)
        self.commissioners = [Commissioner(self, c) for c in range(structure.n_commissioners)]
        self.hospitals = [Hospital(self, h) for h in range(structure.n_hospitals)]
        self.practices = [Practice(self, i) for i in range(structure.n_practices)]
        for practice in self.practices:
            practice.cell = self.network[practice.index]
        self.gps = [GP(self, g) for g in range(structure.n_gps)]
        for gp in self.gps:
            gp.practice.gps.append(gp)
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _whole(name) for name in COLUMNS},
            agenttype_reporters={Commissioner: {name: _reporter(i) for i, name in enumerate(COLUMNS)}})

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
        return self.sim.outputs.groupings_frame(self.sim.structure, run=self.run, months=self.sim.month)

    def indicators(self) -> pd.DataFrame:
        """Recorded and delivered care per indicator: one row per month, commissioner and indicator."""
        return self.sim.outputs.indicators_frame(self.sim.catalogue, run=self.run, months=self.sim.month)

    def practices_table(self) -> pd.DataFrame:
        """Every practice month by month: care, continuity, admissions, GPs, morale, income per patient."""
        return self.sim.outputs.practices_frame(self.sim.structure, run=self.run, months=self.sim.month)

    def events(self) -> pd.DataFrame:
        """The run's decisions: the config's timeline, and what an adaptive commissioner decided and why."""
        return events_frame(self.sim, self.run)


def _reporter(column: int):
    return lambda commissioner: commissioner.output(column)


def _whole(name: str):
    """A model reporter: last month's value of an output column with all commissioners together (counts and
    money summed, GP measures weighted by GPs, the rest by patients)."""
    def report(model: PrimaryCareModel) -> float:
        month = model.sim.month
        return float(outputs.commissioners_together(model.sim.outputs.monthly[month - 1:month], name)[0, model.run])
    return report
