"""The synthetic commissioner: practices, GP posts, groupings, hospitals.

The structure (who exists and how they are grouped) is drawn once from the
config's ``[population]`` section and ``[[groupings]]``, with its own fixed
seed: replicate runs are replicates of the *same* place, differing only in the
stochastic dynamics and GPs' individual traits, and every run of a config has
arrays of the same shape (what lets many runs advance together).

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



def build(config: Config) -> Structure:
    """Draw the structure described by ``config`` (deterministic: it uses a fixed seed)."""
    pop = config.population
    rng = np.random.default_rng(STRUCTURE_SEED)
    n_c = pop["commissioners"]
    practices_of = np.full(n_c, pop["practices"] // n_c) + (np.arange(n_c) < pop["practices"] % n_c)
    patients_of = np.full(n_c, pop["patients"] // n_c)

    lists, p_comm, p_group, p_infra = [], [], [], []
    groupings: list[tuple] = []  # (name, named, concreteness, commitment, method, commissioner)
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
        grouping_commitment=np.array(g_commit, dtype=float),
        grouping_method=np.array(g_method),
        hospital_commissioner=hospital_commissioner,
        posts=posts,
        practices_per_grouping=np.bincount(practice_grouping, minlength=len(names)),
        grouping_list_size=np.bincount(practice_grouping, weights=list_size, minlength=len(names)),
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
