"""The teaching page's model side, without a browser: scenarios and levers, what the page reads from
the engine's arrays, the charts' data, and what a bad setting does to the world on the page."""

from __future__ import annotations

import io
import json
import threading
import time
import types

import numpy as np
import pandas as pd
import pytest
import solara

from pcsim import config as configs
from pcsim.config import ConfigError
from pcsim.inputs.parameters import PARAMETERS
from pcsim.model.engine import MOTIVATIONS
from pcsim.model.outputs import COLUMNS
from pcsim.viz import charts, page, world
from pcsim.viz.info import info_html, info_markdown
from pcsim.viz.scenarios import MONTHS, SCENARIOS, check_settings, levers, parse_seed
from pcsim.viz.widgets import Pacer

ACE_DIRECTIVE = "ACE pilot, then directive roll-out"
QOF_WITHDRAWN = "QOF for eight years, then indicators withdrawn"


@pytest.fixture(scope="module")
def ace_model():
    model = world.TeachingModel(regime="Investment fund (ACE pilot, then partnership)", seed=4)
    for _ in range(30):
        model.step()
    return model


# ---------------------------------------------------------------------- scenarios and levers
def test_every_teaching_scenario_builds_steps_and_says_what_it_is():
    for label, scenario in SCENARIOS.items():
        model = world.TeachingModel(regime=label, seed="3")
        model.step()
        assert model.sim.month == 1 and model.config.months == MONTHS
        assert len(scenario.description) > 80 and label not in ("", None)


def test_every_slider_covers_only_values_the_config_validator_accepts_and_its_ends_build_a_world():
    for name, lever in levers().items():
        low, high = (PARAMETERS[lever.setting].allowed if lever.setting in PARAMETERS else
                     (configs.SCHEMES[lever.setting.split(".")[0]].fields[lever.setting.split(".")[1]].low,
                      configs.SCHEMES[lever.setting.split(".")[0]].fields[lever.setting.split(".")[1]].high))
        assert low <= lever.low < lever.high <= high, name
        assert lever.snap(lever.default) == lever.default, f"{name}: the default {lever.default} is off the step grid"
        for end in (lever.low, lever.high):
            model = world.TeachingModel(**{name: lever.snap(end)})
            assert model.settings[name] == lever.snap(end)


def test_a_slider_position_is_snapped_onto_its_grid_inside_its_range():
    share = levers()["enabler_share"]
    assert share.snap(0.1 + 10 * 0.05) == 0.6 == share.high          # 0.6000000000000001 in floating point
    assert share.snap(0.31) == 0.3 and share.snap(5.0) == share.high and share.snap(-1) == share.low
    assert levers()["cquin_schemes"].snap(9.6) == 10


def test_the_qof_slider_ranges_over_the_plausible_range_of_the_parameter_table():
    qof = levers()["payment_per_point"]
    assert (qof.low, qof.high) == PARAMETERS["qof.payment_per_point"].plausible == (80.0, 250.0)
    assert qof.show(157.0) == "157"


@pytest.mark.parametrize("text", ["abc", "-3", "1.5", "", "  ", "1e400", str(2**63), "[1]"])
def test_a_bad_seed_is_refused_with_a_message_naming_the_seed_and_what_is_allowed(text):
    with pytest.raises(ConfigError, match="seed") as error:
        parse_seed(text)
    assert "0" in str(error.value) and "\n" not in str(error.value)


def test_a_good_seed_is_read_as_a_whole_number():
    assert parse_seed(" 42 ") == 42 and parse_seed("0") == 0 and parse_seed(7) == 7


def test_check_settings_names_each_control_whose_value_cannot_be_used():
    values, errors = check_settings({"regime": ACE_DIRECTIVE, "seed": "abc", "payment_per_point": 400.0,
                                     "cquin_schemes": 0})
    assert set(errors) == {"seed", "payment_per_point", "cquin_schemes"}
    qof = errors["payment_per_point"]
    assert "qof.payment_per_point = 400.0" in qof and "80 to 250" in qof
    assert values["regime"] == ACE_DIRECTIVE and values["funding_per_patient"] == 10.5
    assert check_settings(page.initial_settings())[1] == {}


def test_the_teaching_model_refuses_bad_values_as_a_config_would():
    with pytest.raises(ConfigError, match="qof.payment_per_point"):
        world.TeachingModel(payment_per_point=400)
    with pytest.raises(ConfigError, match="seed"):
        world.TeachingModel(seed="abc")
    with pytest.raises(ConfigError, match="scenario"):
        world.TeachingModel(regime="nonsense")


def test_the_class_can_work_on_another_commissioner(monkeypatch, tmp_path):
    config = tmp_path / "small.toml"
    config.write_text("[population]\npractices = 60\npatients = 400000\n")
    monkeypatch.setenv(world.CONFIG_VARIABLE, str(config))
    assert world.TeachingModel().sim.structure.n_practices == 60


def test_the_levers_reach_the_engine():
    model = world.TeachingModel(regime="Many small incentive schemes (CQUIN-style)", payment_per_point=200,
                                funding_per_patient=20, cquin_schemes=25, enabler_share=0.5, stance=0.9,
                                facilitation=0.7, seed=11)
    params = model.config.params
    assert params["qof.payment_per_point"] == 200 and params["investment.funding_per_patient"] == 20
    assert params["investment.enabler_share"] == 0.5 and params["commissioner.stance_initial"] == 0.9
    assert params["learning.facilitation"] == 0.7 and model.config.seed == 11
    assert [s["schemes"] for s in model.config.policy if s["scheme"] == "cquin"] == [25]


# ---------------------------------------------------------------------- the network
def test_the_network_layout_is_fixed_and_keeps_groupings_together():
    model = world.TeachingModel()
    layout = world.practice_layout(model.sim.structure)
    model.step()
    np.testing.assert_array_equal(layout, model.layout)
    s = model.sim.structure
    named = np.flatnonzero(s.grouping_named)
    hubs = np.array([layout[s.practice_grouping == g].mean(axis=0) for g in named])
    gaps = np.linalg.norm(hubs[:, None] - hubs[None], axis=-1)[np.triu_indices(len(named), 1)]
    assert gaps.min() > 0.2                                   # groupings' labels do not pile up


def test_the_network_drawn_is_the_models_own_practice_network():
    model = world.TeachingModel()
    s = model.sim.structure
    assert np.array_equal(model.ties, s.practice_ties) and len(model.ties) > s.n_practices
    grouping = s.practice_grouping[model.ties]
    assert (grouping[:, 0] != grouping[:, 1]).any()                       # ties cross groupings too


# ---------------------------------------------------------------------- what the page reads
def test_a_practices_values_are_its_gps_means_and_its_own_quality(ace_model):
    sim, s = ace_model.sim, ace_model.sim.structure
    values = world.practice_values(ace_model)
    p = int(np.argmax(s.posts))                               # a practice with several posts
    posts = np.flatnonzero(s.gp_practice == p)
    here = posts[sim.in_post[0, posts]]
    for i, name in enumerate(MOTIVATIONS):
        assert values[name][p] == pytest.approx(sim.motivation[i, 0, here].mean())
    assert values["gps"][p] == len(here) and values["posts"][p] == len(posts)
    assert values["holistic"][p] == sim.holistic[0, p]
    assert values["delivered"][p] == pytest.approx(sim.delivered[:, 0, p].mean())


def test_practices_incomes_add_up_to_what_the_commissioner_paid(ace_model):
    values = world.practice_values(ace_model)
    data = world.monthly(ace_model)
    assert values["income_investment"].sum() == pytest.approx(world.column(data, "spend_investment").sum(), rel=1e-9)
    assert values["income_investment"].sum() > 0
    funded = values["funded"].astype(bool)
    assert funded.any() and values["income_investment"][~funded].sum() < values["income_investment"][funded].sum()


def test_practice_details_list_its_gp_posts(ace_model):
    s = ace_model.sim.structure
    details = world.practice_details(ace_model, 0)
    assert details["grouping"] == "A" and len(details["gp_posts"]) == s.posts[0]
    assert details["list_size"] == s.list_size[0] and details["of_enablers"] == 4


def test_the_monitors_are_running_totals_of_the_monthly_outputs(ace_model):
    data = world.monthly(ace_model)
    m = world.monitors(ace_model, data)
    assert m["month"] == 30 and (m["year"], m["month_of_year"]) == (3, 6)
    assert m["exits"] == world.column(data, "gp_exits").sum() > 0
    assert m["spend"] == pytest.approx(sum(world.column(data, c).sum() for c in
                                           ("spend_incentives", "spend_investment", "spend_risk_sharing")))
    assert m["savings"] == pytest.approx(world.column(data, "hospital_cost_avoided").sum())
    assert m["gps"] == ace_model.sim.in_post[0].sum()
    assert m["innovations"] == world.column(data, "innovations_running")[-1]


@pytest.mark.parametrize("month, year, of_year", [(0, 0, 0), (1, 1, 1), (12, 1, 12), (13, 2, 1), (144, 12, 12)])
def test_month_and_year_of_the_monitors(month, year, of_year):
    model = types.SimpleNamespace(sim=types.SimpleNamespace(month=month, in_post=np.ones((1, 3), bool),
                                                            structure=types.SimpleNamespace(n_gps=3),
                                                            projects=types.SimpleNamespace(stage=np.zeros((1, 2)))))
    data = np.zeros((month, len(COLUMNS)))
    assert (world.monitors(model, data)["year"], world.monitors(model, data)["month_of_year"]) == (year, of_year)


def test_scheme_windows_follow_the_scenarios_policy():
    windows = world.scheme_windows(world.TeachingModel(regime=ACE_DIRECTIVE))
    assert [(w["label"], w["start"], w["end"]) for w in windows] == [("ACE pilot", 0, 12),
                                                                      ("roll-out (directive)", 9, MONTHS)]
    withdrawn = world.scheme_windows(world.TeachingModel(regime=QOF_WITHDRAWN))
    assert [(w["kind"], w["start"]) for w in withdrawn] == [("window", 0), ("event", 96)]
    assert world.scheme_windows(world.TeachingModel()) == []


def test_the_monthly_csv_has_a_row_a_month_and_every_output_column(ace_model):
    frame = pd.read_csv(io.StringIO(world.monthly_csv(ace_model)))
    assert len(frame) == 30 and frame["month"].tolist() == list(range(30))
    assert list(frame.columns[4:]) == list(COLUMNS)
    assert frame.loc[0, "schemes_in_force"] == "core_contract+investment_fund"
    assert frame.loc[20, "schemes_in_force"] == "core_contract+rollout"
    assert frame["gp_exits"].sum() == world.monitors(ace_model)["exits"]


def test_the_run_manifest_records_settings_config_seed_and_commit(ace_model):
    manifest = world.run_manifest(ace_model)
    assert manifest["seed"] == 4 and manifest["settings"]["regime"].startswith("Investment fund")
    assert "commit" in manifest["git"] and manifest["months_simulated"] == 30
    json.dumps(manifest, default=str)


# ---------------------------------------------------------------------- charts
def test_every_time_chart_marks_the_scheme_windows_and_is_valid_json():
    model = world.TeachingModel(regime=QOF_WITHDRAWN)
    windows = world.scheme_windows(model)
    for chart in charts.TIME_CHARTS:
        spec = charts.time_spec(chart, windows)
        text = json.dumps(spec, allow_nan=False)
        assert '"QOF"' in text and "6 indicators withdrawn" in text
        assert spec["layer"][-1]["data"] == {"name": "months"}


def test_chart_columns_have_one_value_a_month_and_no_nan(ace_model):
    shot = page.snapshot(ace_model)
    for chart in charts.TIME_CHARTS:
        columns = charts.time_columns(chart, shot.data, shot.derived)
        assert set(columns) == {"t", *chart.series.values()}
        assert all(len(v) == 30 for v in columns.values())
        json.dumps(columns, allow_nan=False)
    assert charts.numbers(np.array([0.123456, np.nan, np.inf])) == [0.1235, None, None]
    practices = charts.network_columns(ace_model, shot.practices, "morale", 2)
    assert practices["selected"].count(True) == 1 and practices["selected"][2]
    assert practices["value"] == charts.numbers(shot.practices["morale"])
    bins = charts.histogram_columns(ace_model)
    assert sum(bins["GPs"]) == 2 * int(ace_model.sim.in_post[0].sum())


def test_exits_in_the_last_twelve_months_is_a_rolling_count():
    data = np.zeros((30, len(COLUMNS)))
    data[:, COLUMNS.index("gp_exits")] = 1
    derived = charts.derived_series(data)
    assert derived["exits_so_far"][-1] == 30 and derived["exits_last_year"][5] == 6
    assert (derived["exits_last_year"][11:] == 12).all()


# ---------------------------------------------------------------------- the page's logic
def test_play_waits_for_every_chart_on_show_and_not_for_hidden_ones():
    pacer = Pacer()
    pacer.show("a"), pacer.show("b")
    pacer.drawn("a", 3)
    assert not pacer.wait(3, timeout=0.05)
    threading.Timer(0.05, pacer.drawn, args=("b", 3)).start()
    assert pacer.wait(3, timeout=2)
    pacer.hide("a")
    pacer.drawn("a", 9)                        # a hidden chart's report is ignored
    assert pacer.wait(3, timeout=0.01) and not pacer.wait(4, timeout=0.01)


def classroom(model=None) -> page.Classroom:
    model = model or world.TeachingModel()
    return page.Classroom(world=solara.reactive(model), frame=solara.reactive(0), ended=solara.reactive(False),
                          settings=solara.reactive(page.initial_settings()), errors=solara.reactive({}),
                          notice=solara.reactive(None), playing=solara.reactive(False), speed=solara.reactive(10),
                          measure=solara.reactive(world.DEFAULT_MEASURE), selected=solara.reactive(0),
                          tab=solara.reactive(0), pacer=Pacer(), lock=threading.RLock())


@pytest.mark.parametrize("control, value", [("seed", "abc"), ("seed", "-3"), ("payment_per_point", 400.0),
                                            ("regime", "no such scenario")])
def test_reset_with_a_bad_value_keeps_the_world_and_says_which_control(control, value):
    room = classroom()
    for _ in range(3):
        room.step()
    before = room.world.value
    room.settings.value = {**room.settings.value, control: value}
    room.reset()
    assert room.world.value is before and before.sim.month == 3
    assert control in room.errors.value and room.notice.value


def test_a_moved_control_is_checked_at_once_and_reset_builds_its_world():
    room = classroom()
    room.change("seed", "-3")
    assert "seed" in room.errors.value and not room.pending()
    room.change("seed", "8")
    room.change("enabler_share", 0.1 + 10 * 0.05)
    assert room.errors.value == {} and room.pending()
    room.reset()
    assert room.world.value.settings["seed"] == 8 and room.world.value.settings["enabler_share"] == 0.6
    assert not room.pending() and room.notice.value is None


def test_a_world_that_cannot_be_built_is_reported_beside_reset(monkeypatch):
    room = classroom()
    before = room.world.value

    def fails(**_):
        raise RuntimeError("boom")

    monkeypatch.setattr(world, "TeachingModel", fails)
    room.reset()
    assert room.world.value is before and "RuntimeError: boom" in room.notice.value


def test_step_stops_at_the_end_of_the_run():
    room = classroom()
    room.world.value.sim.run(MONTHS - 1)
    room.step()
    assert room.ended.value and room.world.value.sim.month == MONTHS
    room.step()
    assert room.world.value.sim.month == MONTHS


def test_play_runs_to_the_end_of_the_run_then_stops_and_reset_starts_again():
    room = classroom()
    room.speed.value = 10_000                  # as fast as the model steps: no chart is on show to wait for
    room.toggle_play()
    deadline = time.time() + 60
    while room.playing.value and time.time() < deadline:
        time.sleep(0.05)
    assert not room.playing.value and room.ended.value and room.world.value.sim.month == MONTHS
    room.reset()
    assert room.world.value.sim.month == 0 and not room.ended.value


def test_pause_stops_play_and_only_the_latest_play_steps():
    room = classroom()
    room.speed.value = 50
    room.toggle_play()
    time.sleep(0.3)
    room.toggle_play()                         # Pause
    time.sleep(0.2)
    paused = room.world.value.sim.month
    time.sleep(0.3)
    assert 0 < paused == room.world.value.sim.month < MONTHS
    room.toggle_play(), room.toggle_play(), room.toggle_play()     # Play, Pause, Play in quick succession
    time.sleep(0.5)
    room.toggle_play()
    time.sleep(0.2)
    months = room.world.value.sim.month - paused
    assert 0 < months <= 0.5 * 50 + 5          # one thread stepping at 50 a second, not two or three


def test_the_info_tab_links_to_nothing_and_loads_nothing():
    text = info_html()
    assert text.count("<h2>") == 7 and "Credits and references" in text
    for outside in ("http", "<img", "<script", "<iframe", "$$"):         # "$$" would ask for KaTeX
        assert outside not in text and outside not in info_markdown()


def test_spend_on_schemes_counts_every_source_but_capitation_and_income_every_source():
    data = np.zeros((2, len(COLUMNS)))
    for i, name in enumerate(("spend_capitation", "spend_incentives", "spend_investment", "spend_risk_sharing",
                              "spend_roles")):
        data[:, COLUMNS.index(name)] = 10.0 ** i
    assert world.scheme_spend(data).tolist() == [11110.0, 11110.0]          # capitation (1) is not a scheme
    values = {f"income_{source}": np.full(3, 1.0) for source in ("capitation", "incentives", "investment",
                                                                  "risk_sharing", "roles")}
    assert world.total_income(values).tolist() == [5.0, 5.0, 5.0]
