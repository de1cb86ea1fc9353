"""Gaussian-process emulators: a cheap statistical stand-in for the model, with its own uncertainty.

An emulator of one output is scikit-learn's ``GaussianProcessRegressor`` fitted to the output's mean
over replicate runs at design points (inputs scaled to the unit cube of their ranges). Its kernel is a
constant times an anisotropic Matern 5/2 (one length scale a parameter, so an inert parameter gets a
long one) plus a white-noise nugget; the known variance of each design point's mean (the replicate
variance over the number of replicates, as Andrianakis et al. 2015 estimate it from repeated seeds)
enters as the regressor's ``alpha``. Hyperparameters are fitted by maximum marginal likelihood from a
single start (length scales half the unit cube), so the same runs give the same emulator; restarts from
random points of the wide hyperparameter bounds multiplied the cost and, on the problems tried, found
no better optimum.

:meth:`Emulator.predict` gives the mean and the variance of the *expected* output (the latent
function, without the nugget): what history matching calls the emulator variance (Vernon et al.
2010). :meth:`Emulator.leave_one_out` refits the emulator without each design point in turn
(hyperparameters held) and predicts it: the standard validation of Bastos & O'Hagan (2009).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

def one_blas_thread():
    """BLAS on one thread: the optimiser's many tiny vector operations run an order of magnitude slower
    when OpenBLAS wakes its threads for each (measured: 1.4 against 0.1 ms an iteration)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _regressor(kernel, alpha, seed: int | None, optimise: bool, restarts: int = 0):
    from sklearn.gaussian_process import GaussianProcessRegressor

    return GaussianProcessRegressor(kernel=kernel, alpha=alpha, normalize_y=False, copy_X_train=True,
                                    n_restarts_optimizer=restarts if optimise else 0,
                                    optimizer="fmin_l_bfgs_b" if optimise else None, random_state=seed)


def default_kernel(dimensions: int):
    """Constant x anisotropic Matern 5/2 + white nugget, on inputs in the unit cube and standardised outputs."""
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    return (ConstantKernel(1.0, (1e-3, 1e3))
            * Matern(length_scale=np.full(dimensions, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5)
            + WhiteKernel(1e-3, (1e-9, 1.0)))


@dataclass
class Emulator:
    """A fitted emulator of one output over the unit cube (see the module's description)."""

    x: np.ndarray                 # (n, d) design points in the unit cube
    y: np.ndarray                 # (n,) the output's mean over replicates at each point
    noise: np.ndarray             # (n,) variance of each mean (replicate variance / replicates)
    centre: float
    scale: float
    model: object | None          # the fitted GaussianProcessRegressor; None: the output is constant

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, noise: float | np.ndarray = 0.0, seed: int = 0) -> Emulator:
        """Fit to outputs ``y`` at unit-cube points ``x``; ``noise``: the variance of each y (known)."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        noise = np.broadcast_to(np.asarray(noise, float), y.shape).copy()
        if not np.all(np.isfinite(y)):
            raise ValueError("an emulator needs a finite output at every design point")
        centre, scale = float(y.mean()), float(y.std())
        if scale <= 1e-12 * max(1.0, abs(centre)):
            return cls(x, y, noise, centre, 0.0, None)               # a constant: known exactly
        alpha = noise / scale ** 2 + 1e-10
        model = _regressor(default_kernel(x.shape[1]), alpha, seed, optimise=True)
        with warnings.catch_warnings(), one_blas_thread():
            warnings.simplefilter("ignore")                          # bounds reached: a flat or a rough direction
            model.fit(x, (y - centre) / scale)
        return cls(x, y, noise, centre, scale, model)

    @property
    def nugget(self) -> float:
        """The fitted white-noise variance, in the output's units."""
        if self.model is None:
            return 0.0
        return float(self.model.kernel_.k2.noise_level) * self.scale ** 2

    @property
    def length_scales(self) -> np.ndarray:
        """Fitted length scales on the unit cube, one a parameter (long: the output hardly moves with it)."""
        if self.model is None:
            return np.full(self.x.shape[1], np.inf)
        return np.atleast_1d(self.model.kernel_.k1.k2.length_scale).astype(float)

    def describe(self) -> str:
        return "constant" if self.model is None else str(self.model.kernel_)

    def predict(self, x: np.ndarray, batch: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of the expected output at unit-cube points ``x`` (nugget excluded)."""
        x = np.atleast_2d(np.asarray(x, float))
        if self.model is None:
            return np.full(len(x), self.centre), np.zeros(len(x))
        means, variances = [], []
        white = float(self.model.kernel_.k2.noise_level)
        for start in range(0, len(x), batch):
            mean, sd = self.model.predict(x[start:start + batch], return_std=True)
            means.append(self.centre + self.scale * mean)
            variances.append(np.maximum(sd ** 2 - white, 0.0) * self.scale ** 2)
        return np.concatenate(means), np.concatenate(variances)

    def leave_one_out(self) -> pd.DataFrame:
        """Each design point predicted by the emulator refitted without it (hyperparameters held): its
        mean, the predicted mean and the sd of a new mean there, and the standardised error."""
        n = len(self.y)
        if self.model is None:
            return pd.DataFrame({"observed": self.y, "predicted": self.y, "sd": 0.0, "standardised_error": 0.0})
        predicted, sd = np.empty(n), np.empty(n)
        standard = (self.y - self.centre) / self.scale
        alpha = self.noise / self.scale ** 2 + 1e-10
        with one_blas_thread():
            for i in range(n):
                keep = np.arange(n) != i
                model = _regressor(self.model.kernel_, alpha[keep], None, optimise=False)
                model.fit(self.x[keep], standard[keep])
                mean, std = model.predict(self.x[i:i + 1], return_std=True)
                predicted[i] = self.centre + self.scale * mean[0]
                sd[i] = np.sqrt(std[0] ** 2 + alpha[i]) * self.scale
        return pd.DataFrame({"observed": self.y, "predicted": predicted, "sd": sd,
                             "standardised_error": (self.y - predicted) / sd})


def loo_summary(loo: pd.DataFrame) -> dict[str, float]:
    """Validation in three numbers: Q2 (the leave-one-out R2), and the shares of standardised errors
    within 2 and 3 sd (about 95% and all but a few, for a well-calibrated emulator)."""
    spread = ((loo["observed"] - loo["observed"].mean()) ** 2).sum()
    error = ((loo["observed"] - loo["predicted"]) ** 2).sum()
    return {"loo_q2": float(1 - error / spread) if spread > 0 else 1.0,
            "loo_within_2sd": float((loo["standardised_error"].abs() <= 2).mean()),
            "loo_within_3sd": float((loo["standardised_error"].abs() <= 3).mean())}
