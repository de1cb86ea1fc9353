"""The engine's guarantees: bounded state, stationary start, symmetric stance, batches of
parameters, open-ended scheme windows, common random numbers in admissions."""

from __future__ import annotations

import numpy as np
import pytest

from pcsim import config as configs
import pcsim
from pcsim.inputs.parameters import make_params
from pcsim.model import commissioner
from pcsim.model import hospital
from pcsim.model.engine import Simulation
from pcsim.model.outputs import COLUMNS

from .conftest import SEEDS, column


def test_state_stays_in_bounds_under_extreme_but_allowed_parameters():
    extreme = ["wellbeing.burnout_per_month=0.6", "workforce.hours_per_month_sessional=60",
               "demand.growth_per_year=0.05", "demand.skill_mix_absorption=0", "workforce.vacancy_months=9",
               "demand.minutes_per_consultation=16", "demand.gp_share_of_consultations=0.75",
               "wellbeing.overload_morale_per_month=0.4", "motivation.crowd_out_per_month=0.1"]
    sim = Simulation(configs.load(None, ["run.months=120", *extreme]), seeds=[1, 2])
    sim.run()
    for name in ("motivation", "self_efficacy", "morale", "burnout", "delivered", "recorded", "holistic", "continuity"):
        values = getattr(sim, name)
        assert np.all((values >= 0) & (values <= 1)), name
    assert np.isfinite(sim.outputs.monthly).all()


def test_the_status_quo_starts_in_equilibrium():
    """With demand and the admissions trend held flat, the first year barely moves."""
    cfg = configs.load(None, ["run.months=13", "demand.growth_per_year=0", "hospital.admission_growth_per_year=0"])
    sim = Simulation(cfg, seeds=list(SEEDS))
    sim.run()
    for name in ("quality_incentivised_delivered", "quality_non_incentivised", "continuity", "morale",
                 "motivation_clinical_care", "motivation_autonomy", "self_efficacy"):
        series = column(sim, name).mean(axis=1)
        assert abs(series[12] / series[0] - 1) < 0.02, name
    running = column(sim, "innovations_running").mean(axis=1)
    assert running[0] > 2 and abs(running[12] - running[0]) < 0.5 * running[0]


def test_noisy_data_alone_do_not_move_the_stance():
    rng = np.random.default_rng(0)
    p = make_params(configs.load().params, runs=None)
    stance = np.full(20_000, 0.3)
    for _ in range(120):
        stance = commissioner.update_stance(stance, 0.3, np.clip(rng.normal(0, 0.5, stance.shape), -1, 1), p)
    assert abs(np.median(stance) - 0.3) < 0.01
    assert np.all((stance > 0) & (stance < 1))


def test_a_batch_of_different_parameters_equals_each_run_alone():
    cfg = configs.load(None, ["run.months=36"])
    growth = [0.0, 0.02, 0.04]
    lag = [1, 3, 6]
    params = {**cfg.params, "demand.growth_per_year": growth, "commissioner.data_lag_months": lag}
    batch = Simulation(cfg, seeds=[4, 5, 6], params=params)
    batch.run()
    for r in range(3):
        alone_cfg = cfg.replace(**{"demand.growth_per_year": growth[r], "commissioner.data_lag_months": lag[r]})
        alone = Simulation(alone_cfg, seeds=[4 + r])
        alone.run()
        np.testing.assert_array_equal(batch.outputs.monthly[:, :, r], alone.outputs.monthly[:, :, 0])


def test_a_longer_run_keeps_open_ended_schemes_in_force():
    result = pcsim.run(months=130)
    capitation = result.monthly["spend_capitation"]
    assert (capitation > 0).all() and capitation.iloc[-1] == pytest.approx(capitation.iloc[0])
    closed = configs.load(None, ["policy.core_contract.end=60", "run.months=90"])
    sim = Simulation(closed)
    sim.run()
    spend = sim.outputs.monthly[:, COLUMNS.index("spend_capitation"), 0, 0]
    assert (spend[:60] > 0).all() and (spend[60:] == 0).all()


@pytest.mark.parametrize("mean", [2.0, 10.0, 60.0])
def test_admission_counts_have_poisson_mean_and_variance(mean):
    z = np.random.default_rng(1).standard_normal(400_000)
    counts = hospital.poisson_counts(np.full(z.shape, mean), z)
    assert counts.mean() == pytest.approx(mean, rel=0.01)
    assert counts.var() == pytest.approx(mean, rel=0.03)
    assert np.all(np.diff(hospital.poisson_counts(np.full(5, mean), np.linspace(-2, 2, 5))) >= 0)


def test_arms_share_their_random_numbers_in_admissions():
    """A small change of policy changes admissions only a little, month by month (common random numbers)."""
    base = pcsim.run(seed=2, months=24)
    tweak = pcsim.run(seed=2, months=24, hospital__incentivised_quality_effect=0.81)
    diff = (base.monthly["emergency_admissions"] - tweak.monthly["emergency_admissions"]).abs()
    assert diff.max() <= 0.01 * base.monthly["emergency_admissions"].min()
