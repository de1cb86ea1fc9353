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

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum the last axis into the bins: ``(..., N) -> (..., n)``.

        One ``bincount`` over all leading axes at once. Each bin of each run is summed in member
        order, whatever the batch size, so a run gives the same bits alone or in a batch.
        """
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
        weight = self.sum(np.broadcast_to(weights, values.shape))
        return np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)

    def spread(self, values: np.ndarray) -> np.ndarray:
        """Each member gets its bin's value: ``(..., n) -> (..., N)``."""
        return values[..., self.index]
