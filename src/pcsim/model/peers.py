"""Peers: what practices see of each other (exposure to judgement, process 3) and what spreads over their ties (process 6).

*Exposure to peers' judgement* comes from peers, not from a scheme's say-so
[Miller18]: pilots feared "harsh criticism from other practices who were not
successful in their applications". A practice is exposed

* by published comparisons - a scheme whose results are published ranks
  practices, and a practice is exposed the more the lower it ranks among its
  commissioner's practices (``peer_exposure_from_publication``);
* by being selected while the practices it is tied to were not: the
  non-selected judge the selected, each as much as it cares about peers'
  judgement itself (the views of tied practices; ``selection_exposure``);
* by being seen to lose a competition the practices it is tied to won.

*Diffusion.* Innovations spread over ties beyond the fund's members: a grouping
without a live project adopts an innovation running, with a positive reading,
in a tied practice of another grouping, with a chance that grows with the
number of such ties, its own capacity for the work (transformation hours
against what a project needs), its trust in the source (the trust built in a
learning set, or the trust of an ordinary tie) and the evidence it can see
(the source's reading, in standard deviations of innovations' effects) [Miller18:
innovations "in some cases have been adopted by other practices"]. Routines
spread too: a practice moves its routines towards the better routines of the
practices it is tied to (templates and recall systems shared between
neighbours).
"""

from __future__ import annotations

import numpy as np

from scipy import sparse

from pcsim.model.arrays import Bins, Blocks


class Ties:
    """The ties between practices as arrays: sums and means over each practice's tied practices, through a
    sparse adjacency matrix (each practice's sum is taken over its ties in one fixed order, so a run gives
    the same bits alone or in a batch)."""

    def __init__(self, structure):
        self.source, self.target = structure.tie_ends
        self.degree = np.maximum(np.bincount(self.target, minlength=structure.n_practices), 1)
        n = structure.n_practices
        self.adjacency = sparse.csr_matrix((np.ones(len(self.source)), (self.target, self.source)), shape=(n, n))

    def sum(self, values) -> np.ndarray:
        """For each practice, the sum of ``values`` (..., P) over its tied practices."""
        values = np.asarray(values, dtype=float)
        flat = values.reshape(-1, values.shape[-1])
        return np.asarray(self.adjacency @ flat.T).T.reshape(values.shape)

    def mean(self, values) -> np.ndarray:
        """For each practice, the mean of ``values`` (..., P) over its tied practices (0 without ties)."""
        return self.sum(values) / self.degree


class TiesAcross:
    """The ties that cross from one grouping to another, seen from the receiving grouping: for each grouping,
    sums over every tie into one of its practices from a practice of another grouping."""

    def __init__(self, ties: Ties, practice_grouping: np.ndarray, n_groupings: int):
        other = practice_grouping[ties.source] != practice_grouping[ties.target]
        self.source = ties.source[other]
        self.into = Bins(practice_grouping[ties.target[other]], n_groupings)

    def sum(self, values) -> np.ndarray:
        """For each grouping, the sum of the practice values (..., P) at the far end of its crossing ties."""
        return self.into.sum(values[..., self.source])


def exposure(published, achievement, selected, rejected, judgement, ties: Ties, by_commissioner: Blocks, params):
    """Exposure of each practice to peers' judgement, 0-1 (R, P).

    ``published`` is how far the practice's results are published (0-1), ``achievement`` its recorded
    achievement, ``selected`` and ``rejected`` whether a fund chose it or turned it down, ``judgement`` its
    GPs' mean concern for peers' judgement (how judgemental it is of others).
    """
    perception, peers = params.perception, params.peers
    ranked = 0.0
    if np.any(published):
        ranked = (perception.peer_exposure_from_publication * published
                  * (0.5 + 0.5 * by_commissioner.rank_from_top(achievement)))
    envied = peers.selection_exposure * selected * ties.mean((1 - selected) * judgement)
    seen_to_lose = peers.selection_exposure * rejected * ties.mean(selected * judgement)
    return np.clip(np.maximum(ranked, np.maximum(envied, seen_to_lose)), 0.0, 1.0)


def adoption_chance(offers, evidence, capacity, trust, params):
    """Chance a grouping adopts one of ``offers`` innovations it sees over its ties this month."""
    per_offer = params.peers.adoption_per_tie * capacity * trust * evidence
    return 1 - (1 - np.clip(per_offer, 0.0, 1.0)) ** offers


def evidence(seen_effect, params):
    """How convincing a source's reading is: its mean reading in standard deviations of effects, 0-1."""
    return np.clip(seen_effect / params.innovation.effect_sd, 0.0, 1.0)


def spread_routines(routines, tied_routines, params):
    """Routines moved towards the better routines of tied practices (K, R, P)."""
    return routines + params.peers.routine_spread_per_month * np.maximum(tied_routines - routines, 0.0)
