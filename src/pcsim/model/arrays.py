"""Array conventions and the one grouping operation the submodels need.

Every piece of agent state is an array whose last axis is the agents (GP posts,
practices, groupings, ...) and whose second-to-last axis is the run: shape
``(..., R, N)``. A single run has R = 1; a batch of runs with the same
structure (replicates, or sensitivity-analysis samples) advances together with
R > 1, every NumPy call then serving all of them. Parameters are scalars, or
``(R, 1)`` arrays (:func:`pcsim.simulation.make_params`).

Bit-identity between a run alone and in a batch rests on two habits: every
operation is elementwise or a reduction over full-size arrays (NumPy sums an
axis in a different order when the trailing axis has length 1), and no BLAS
call (``dot``, ``tensordot``, ``@``), whose blocking depends on the shape.
"""

from __future__ import annotations

import numpy as np


class Bins:
    """Members (the last axis of an array) sorted into ``n`` bins: GP posts into practices, practices
    into groupings or commissioners."""

    def __init__(self, index: np.ndarray, n: int):
        self.index = np.asarray(index, dtype=np.int64)
        self.n = n
        self._flat: dict[int, np.ndarray] = {}
        self.contiguous = bool(np.all(np.diff(self.index) >= 0))
        if self.contiguous:              # members sorted by bin: each bin is one slice of the last axis
            count = np.bincount(self.index, minlength=n)
            self._filled = np.flatnonzero(count)
            self._starts = np.concatenate([[0], np.cumsum(count)[:-1]])[self._filled]

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum the last axis into the bins: ``(..., N) -> (..., n)``.

        Bins that are slices of the last axis are summed slice by slice (``np.add.reduceat``), others by
        one ``bincount`` over all leading axes at once. Either way each bin of each run is summed over
        the same members in the same order, whatever the batch size, so a run gives the same bits alone
        or in a batch.
        """
        if self.contiguous and len(self._filled):
            sums = np.add.reduceat(np.asarray(values, dtype=float), self._starts, axis=-1)
            if len(self._filled) == self.n:
                return sums
            out = np.zeros(sums.shape[:-1] + (self.n,))
            out[..., self._filled] = sums
            return out
        lead = values.shape[:-1]
        rows = int(np.prod(lead))
        flat = self._flat.get(rows)
        if flat is None:
            flat = (self.index[None, :] + self.n * np.arange(rows)[:, None]).ravel()
            self._flat[rows] = flat
        return np.bincount(flat, weights=values.reshape(-1), minlength=rows * self.n).reshape(*lead, self.n)

    def mean(self, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Weighted mean of the last axis within each bin (0 for a bin with no weight)."""
        total = self.sum(values * weights)
        weights = np.asarray(weights, dtype=float)
        # Weights the same for every run (one per member) are summed once: the same bits as summed per run.
        weight = self.sum(weights if weights.ndim == 1 else np.broadcast_to(weights, values.shape))
        weight = np.broadcast_to(weight, total.shape)
        return np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)

    def spread(self, values: np.ndarray) -> np.ndarray:
        """Each member gets its bin's value: ``(..., n) -> (..., N)``."""
        return values[..., self.index]


class Blocks:
    """Members sorted into contiguous bins (every commissioner's practices are contiguous): order
    statistics within each bin, for all leading axes at once."""

    def __init__(self, index: np.ndarray, n: int):
        self.index = np.asarray(index, dtype=np.int64)
        if np.any(np.diff(self.index) < 0):
            raise ValueError("Blocks need members sorted by bin")
        self.n = n
        self.count = np.bincount(self.index, minlength=n)
        self.first = np.concatenate([[0], np.cumsum(self.count)[:-1]])

    def sort(self, values: np.ndarray) -> np.ndarray:
        """Positions that sort ``values`` (..., N) in ascending order within each bin, bins in order."""
        low = values.min(axis=-1, keepdims=True)
        span = values.max(axis=-1, keepdims=True) - low
        scaled = np.divide(values - low, span, out=np.zeros_like(values, dtype=float), where=span > 0)
        return np.argsort(self.index + 0.999 * scaled, axis=-1, kind="stable")

    def percentiles(self, values: np.ndarray, qs) -> list[np.ndarray]:
        """Several percentiles of ``values`` within each bin, from one sort."""
        ordered = np.take_along_axis(values, self.sort(values), axis=-1)
        last = np.maximum(self.count - 1, 0)
        out = []
        for q in qs:
            position = q / 100 * last
            lower = np.floor(position).astype(np.int64)
            upper = np.minimum(lower + 1, last)
            below, above = ordered[..., self.first + lower], ordered[..., self.first + upper]
            out.append(below + (position - lower) * (above - below))
        return out

    def rank_from_top(self, values: np.ndarray) -> np.ndarray:
        """For each member, the share of the other members of its bin with a higher value (..., N)."""
        order = self.sort(values)
        ascending = np.empty_like(order)
        np.put_along_axis(ascending, order, np.broadcast_to(np.arange(values.shape[-1]), order.shape), axis=-1)
        within = ascending - self.first[self.index]                    # 0 for the lowest of its bin
        others = np.maximum(self.count[self.index] - 1, 1)
        return (self.count[self.index] - 1 - within) / others
