"""The synthetic commissioner: practices, GP posts, groupings, hospitals, and the ties between practices.

The structure (who exists, how they are grouped and tied) is drawn from the
config's ``[population]`` section and ``[[groupings]]``. With ``structure =
"fixed"`` (the default) it is drawn once, with a fixed seed: replicate runs are
replicates of the *same* place, differing only in the stochastic dynamics and
GPs' individual traits, and every run of a config has arrays of the same shape
(what lets many runs advance together, and pairs runs across policies). With
``structure = "per_seed"`` each run draws its own place from its seed, so that
sweeps and sensitivity analyses include structural uncertainty; such runs
advance one at a time.

*Ties between practices* (:func:`ties`) come from a synthetic geography: each
practice has a place in its commissioner's area (a named grouping's practices
near one another), and is tied to its ``neighbours`` nearest practices, to the
other practices of its grouping, or, outside the named groupings, of its
network of about ``network_patients`` patients (the primary care networks of
30-50k patients [London18]), and to a few random practices sending patients to
the same acute trust (``hospital_ties``). Degree, clustering and the share of
ties within groupings follow from these settings (:func:`network_summary`).
GPs are tied to everyone in their practice.

Arrays are ordered so that every grouping's practices are contiguous, every
commissioner's groupings are contiguous, and every practice's GP posts are
contiguous. The default is modelled on Birmingham Cross-City CCG [Miller18]:
about 700,000 patients, a little over 100 practices, the six ACE groupings of
Table 1; a GP looks after 1,700-2,000 patients [Nuffield15].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pcsim.config import IMPROVEMENT_METHODS, Config

STRUCTURE_SEED = 20140401  # the ACE pilot's year; fixed so that replicates share one commissioner
STRUCTURE_KEY = 1_000_003  # spawn-key namespace of per-seed structures, far from the process streams' keys
COMMITMENT_SD = 0.15       # spread of commitment between practices outside the named groupings


@dataclass(frozen=True)
class Structure:
    """Who exists, and how they are grouped. Read-only for the whole run."""

    practice_commissioner: np.ndarray
    practice_grouping: np.ndarray
    practice_hospital: np.ndarray
    list_size: np.ndarray
    needs: np.ndarray
    infrastructure: np.ndarray
    gp_practice: np.ndarray
    grouping_names: tuple[str, ...]
    grouping_commissioner: np.ndarray
    grouping_named: np.ndarray
    grouping_concreteness: np.ndarray
    grouping_commitment: np.ndarray
    grouping_method: np.ndarray
    hospital_commissioner: np.ndarray
    posts: np.ndarray                   # (P,) GP posts of each practice
    practices_per_grouping: np.ndarray  # (Q,)
    grouping_list_size: np.ndarray      # (Q,) registered patients of each grouping
    position: np.ndarray                # (P, 2) place in a synthetic geography (commissioner c in [c, c + 1) x [0, 1))
    practice_ties: np.ndarray           # (T, 2) undirected ties between practices, smaller index first

    @property
    def n_practices(self) -> int:
        return len(self.list_size)

    @property
    def n_gps(self) -> int:
        return len(self.gp_practice)

    @property
    def n_groupings(self) -> int:
        return len(self.grouping_names)

    @property
    def n_commissioners(self) -> int:
        return int(self.practice_commissioner.max()) + 1

    @property
    def n_hospitals(self) -> int:
        return len(self.hospital_commissioner)

    @property
    def patients_per_commissioner(self) -> np.ndarray:
        return np.bincount(self.practice_commissioner, weights=self.list_size, minlength=self.n_commissioners)

    @property
    def tie_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Both directions of every tie: (from, to), each (2T,)."""
        ties = self.practice_ties
        return np.concatenate([ties[:, 0], ties[:, 1]]), np.concatenate([ties[:, 1], ties[:, 0]])

    @property
    def degree(self) -> np.ndarray:
        """Ties of each practice (P,)."""
        return np.bincount(self.practice_ties.ravel(), minlength=self.n_practices)


def structure_seed(config: Config, run_seed: int | None) -> int | np.random.SeedSequence:
    """The seed a structure is drawn from: fixed, or derived from the run's seed (``structure = "per_seed"``)."""
    if config.population["structure"] == "fixed" or run_seed is None:
        return STRUCTURE_SEED
    return np.random.SeedSequence(run_seed, spawn_key=(STRUCTURE_KEY,))



def build(config: Config, run_seed: int | None = None) -> Structure:
    """Draw the structure described by ``config``: from a fixed seed, or from ``run_seed`` when the config's
    structure is per seed. The same config and seed always give the same structure."""
    pop = config.population
    rng = np.random.default_rng(structure_seed(config, run_seed))
    n_c = pop["commissioners"]
    practices_of = np.full(n_c, pop["practices"] // n_c) + (np.arange(n_c) < pop["practices"] % n_c)
    patients_of = np.full(n_c, pop["patients"] // n_c)

    lists, p_comm, p_group, p_infra = [], [], [], []
    groupings: list[tuple] = []  # (name, named, concreteness, commitment, method, commissioner)
    unnamed_groupings: list[int] = []
    for c in range(n_c):
        named = [g for g in config.groupings if g["commissioner"] == c]
        for g in named:
            sizes = _split_list(rng, g["patients"], g["practices"], pop)
            groupings.append((g["name"], True, g["concreteness"], g["commitment"],
                              IMPROVEMENT_METHODS.index(g["method"]), c))
            lists.append(sizes)
            infra = g["infrastructure"] if g["infrastructure"] >= 0 else None
            p_infra.append(_infrastructure(rng, len(sizes), pop, infra))
            p_comm.append(np.full(len(sizes), c))
            p_group.append(np.full(len(sizes), len(groupings) - 1))
        rest_practices = practices_of[c] - sum(g["practices"] for g in named)
        rest_patients = patients_of[c] - sum(g["patients"] for g in named)
        if rest_practices == 0:
            continue
        sizes = _split_list(rng, rest_patients, rest_practices, pop)
        method = rng.choice(3, size=rest_practices,
                            p=[1 - pop["pdsa_share"] - pop["formal_method_share"], pop["pdsa_share"],
                               pop["formal_method_share"]])
        unnamed_groupings += range(len(groupings), len(groupings) + rest_practices)
        groupings += [(f"practice-{c}-{i}", False, 0.0, 1.0, int(method[i]), c) for i in range(rest_practices)]
        lists.append(sizes)
        p_infra.append(_infrastructure(rng, rest_practices, pop, None))
        p_comm.append(np.full(rest_practices, c))
        p_group.append(np.arange(len(groupings) - rest_practices, len(groupings)))

    names, g_named, g_conc, g_commit, g_method, g_comm = zip(*groupings)
    list_size = np.concatenate(lists)
    practice_grouping = np.concatenate(p_group)
    practice_commissioner = np.concatenate(p_comm)
    needs = np.exp(rng.normal(-pop["needs_sigma"] ** 2 / 2, pop["needs_sigma"], len(list_size)))
    posts = np.maximum(1, np.rint(list_size / pop["patients_per_gp"])).astype(np.int64)
    n_h = pop["hospitals"]
    hospital_commissioner = np.arange(n_h) % n_c
    practice_hospital = _assign_hospitals(rng, practice_commissioner, hospital_commissioner, n_c)
    # Drawn after everything above, so that adding them left the rest of the structure as it was.
    commitment = np.array(g_commit, dtype=float)
    commitment[unnamed_groupings] = np.clip(rng.normal(pop["commitment_mean"], COMMITMENT_SD, len(unnamed_groupings)),
                                            0.0, 1.0)
    named_practice = np.array(g_named)[practice_grouping]
    position = _places(rng, practice_commissioner, practice_grouping, named_practice)
    network = _networks(position, list_size, practice_commissioner, named_practice, pop["network_patients"])
    practice_ties = ties(rng, position, practice_commissioner, np.where(named_practice, practice_grouping, -1),
                         network, practice_hospital, pop["neighbours"], pop["hospital_ties"])
    return Structure(
        practice_commissioner=practice_commissioner,
        practice_grouping=practice_grouping,
        practice_hospital=practice_hospital,
        list_size=list_size,
        needs=needs,
        infrastructure=np.concatenate(p_infra),
        gp_practice=np.repeat(np.arange(len(list_size)), posts),
        grouping_names=tuple(names),
        grouping_commissioner=np.array(g_comm),
        grouping_named=np.array(g_named),
        grouping_concreteness=np.array(g_conc, dtype=float),
        grouping_commitment=commitment,
        grouping_method=np.array(g_method),
        hospital_commissioner=hospital_commissioner,
        posts=posts,
        practices_per_grouping=np.bincount(practice_grouping, minlength=len(names)),
        grouping_list_size=np.bincount(practice_grouping, weights=list_size, minlength=len(names)),
        position=position,
        practice_ties=practice_ties,
    )


def _split_list(rng, patients: int, practices: int, pop) -> np.ndarray:
    """List sizes of ``practices`` practices summing to ``patients``: log-normal shares above a minimum."""
    weights = np.exp(rng.normal(0.0, pop["list_size_sigma"], practices))
    floor = min(pop["min_list_size"], patients / practices)
    sizes = floor + (patients - floor * practices) * weights / weights.sum()
    return np.round(sizes)


def _infrastructure(rng, n: int, pop, fixed: float | None) -> np.ndarray:
    if fixed is not None:
        return np.full(n, fixed)
    return np.clip(rng.normal(pop["infrastructure_mean"], 0.1, n), 0.0, 1.0)


def _assign_hospitals(rng, practice_commissioner, hospital_commissioner, n_c) -> np.ndarray:
    """Each practice sends its patients to one acute trust of its commissioner (or a shared one)."""
    out = np.empty(len(practice_commissioner), dtype=np.int64)
    for c in range(n_c):
        own = np.flatnonzero(hospital_commissioner == c)
        if len(own) == 0:
            own = np.array([c % len(hospital_commissioner)])
        mine = practice_commissioner == c
        out[mine] = rng.choice(own, size=int(mine.sum()))
    return out


def _places(rng, practice_commissioner, practice_grouping, named_practice) -> np.ndarray:
    """A place for every practice in its commissioner's unit square; a named grouping's practices near one
    another (scattered about a centre of their own with a standard deviation of 0.05)."""
    n = len(practice_commissioner)
    place = rng.random((n, 2))
    centres = rng.random((practice_grouping.max() + 1, 2)) * 0.8 + 0.1
    jitter = rng.normal(0.0, 0.05, (n, 2))
    place = np.where(named_practice[:, None], np.clip(centres[practice_grouping] + jitter, 0.0, 0.999), place)
    return place + np.stack([practice_commissioner, np.zeros(n)], axis=1)


def _networks(position, list_size, practice_commissioner, named_practice, patients: int) -> np.ndarray:
    """Networks of about ``patients`` patients that practices outside named groupings form with their
    neighbours (-1 for practices of named groupings, or when ``patients`` is 0): practices taken in
    geographic order (by latitude band, then longitude), a network closed once it has the patients."""
    network = np.full(len(list_size), -1)
    if patients <= 0:
        return network
    bands = np.floor(position[:, 1] * 4)
    order = np.lexsort((position[:, 0], bands, practice_commissioner))
    current, filled, commissioner = -1, patients, -1
    for p in order:
        if named_practice[p]:
            continue
        if filled >= patients or practice_commissioner[p] != commissioner:
            current, filled, commissioner = current + 1, 0.0, practice_commissioner[p]
        network[p] = current
        filled += list_size[p]
    return network


def ties(rng, position, practice_commissioner, grouping, network, practice_hospital, neighbours: int,
         hospital_ties: float) -> np.ndarray:
    """Undirected ties between practices, (T, 2) with the smaller index first, each once: nearest neighbours
    within a commissioner, everyone of the same named grouping or network, and random ties through a shared
    acute trust."""
    from scipy.spatial import cKDTree

    pairs = []
    n = len(position)
    for c in np.unique(practice_commissioner):
        members = np.flatnonzero(practice_commissioner == c)
        k = min(neighbours, len(members) - 1)
        if k > 0:
            _, nearest = cKDTree(position[members]).query(position[members], k=k + 1)
            pairs.append(np.stack([np.repeat(members, k), members[nearest[:, 1:].ravel()]], axis=1))
    for labels in (grouping, network):
        for label in np.unique(labels[labels >= 0]):
            members = np.flatnonzero(labels == label)
            left, right = np.triu_indices(len(members), k=1)
            pairs.append(np.stack([members[left], members[right]], axis=1))
    for h in np.unique(practice_hospital):
        members = np.flatnonzero(practice_hospital == h)
        count = rng.poisson(hospital_ties * len(members) / 2) if len(members) > 1 else 0
        if count:
            pairs.append(rng.choice(members, size=(count, 2)))
    pairs = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0).astype(np.int64) if len(pairs) else pairs.reshape(0, 2).astype(np.int64)


def network_summary(structure: Structure) -> dict[str, float]:
    """Mean degree, average clustering and the share of ties within groupings (named groupings) of the
    practice network, through networkx."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(structure.n_practices))
    graph.add_edges_from(structure.practice_ties.tolist())
    grouping = structure.practice_grouping[structure.practice_ties]
    named = structure.grouping_named[grouping[:, 0]]
    within = (grouping[:, 0] == grouping[:, 1]) & named
    return {"practices": structure.n_practices, "ties": len(structure.practice_ties),
            "mean_degree": float(structure.degree.mean()), "clustering": float(nx.average_clustering(graph)),
            "share_within_named_groupings": float(within.mean()) if len(within) else 0.0}

