"""Configs: defaults, overrides, and bad input named clearly (exit 2, nothing written)."""

from __future__ import annotations


import pytest

from pcsim import config as configs
from pcsim.config import ConfigError

from .conftest import CONFIGS, pcsim_in_process


def test_default_toml_is_the_builtin_default():
    from_file = configs.load(CONFIGS / "default.toml").to_dict()
    assert from_file == configs.load().to_dict()


def test_every_shipped_config_loads():
    for path in CONFIGS.glob("*.toml"):
        assert configs.load(path).months > 0, path


def test_set_overrides_parameters_run_fields_and_scheme_windows():
    cfg = configs.load(None, ["demand.growth_per_year=0.01", "run.months=24", "policy.core_contract.start=3"])
    assert cfg.params["demand.growth_per_year"] == 0.01
    assert cfg.months == 24
    assert cfg.policy[0]["start"] == 3


def test_resolve_takes_keyword_overrides():
    cfg = configs.resolve(None, seed=9, months=12, overrides={"demand__growth_per_year": 0.02})
    assert (cfg.seed, cfg.months, cfg.params["demand.growth_per_year"]) == (9, 12, 0.02)


@pytest.mark.parametrize("overrides, words", [
    (["demand.growth_per_yer=0.02"], ["demand.growth_per_yer", "did you mean", "demand.growth_per_year"]),
    (["demand.growth_per_year=abc"], ["demand.growth_per_year", "'abc'", "a number"]),
    (["demand.growth_per_year=0.5"], ["demand.growth_per_year", "0.5", "-0.05 to 0.15"]),
    (["run.months=0"], ["run.months", "0", "1 to 1200"]),
    (["run.mnths=3"], ["run.mnths", "run.months"]),
    (["populaton.practices=3"], ["populaton", "population"]),
    (["policy.core_contract.end=0"], ["end = 0", "not after start"]),
    (["policy.core_contract.start=500"], ["start = 500", "outside the run"]),
    (["policy.qof.start=1"], ["'qof'", "not in the policy"]),
    (["nonsense"], ["key=value"]),
])
def test_bad_overrides_name_field_value_and_allowed(overrides, words):
    with pytest.raises(ConfigError) as err:
        configs.load(None, overrides)
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_bad_files_are_named(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        configs.load(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[run\nmonths = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        configs.load(broken)
    odd = tmp_path / "odd.toml"
    odd.write_text('[[policy]]\nscheme = "core_contrakt"\n')
    with pytest.raises(ConfigError, match="did you mean 'core_contract'"):
        configs.load(odd)


@pytest.mark.parametrize("groupings, words", [
    ([{"name": "A", "practices": 2, "patients": 9000}, {"name": "A", "practices": 1, "patients": 5000}],
     ["'A'", "two groupings"]),
    ([{"name": "A", "practices": 2, "patients": 9000, "method": "lean"}], ["method", "'lean'", "pdsa"]),
    ([{"name": "A", "practices": "two", "patients": 9000}], ["practices", "'two'", "an integer"]),
    ([{"name": "A", "practices": 200, "patients": 900000}], ["200"]),
    ([{"name": "A", "patients": 9000}], ["practices is missing"]),
])
def test_bad_groupings(groupings, words):
    with pytest.raises(ConfigError) as err:
        configs.from_dict({"groupings": groupings})
    for word in words:
        assert word in str(err.value)


def _cli(*args, cwd):
    return pcsim_in_process(*args, cwd=cwd)      # the real command line, in this process (tests/test_bad_inputs.py
                                                 # also runs a few cases through `python -m pcsim.cli`)


@pytest.mark.parametrize("args, words", [
    (["run", "missing.toml"], ["missing.toml", "does not exist"]),
    (["run", "--set", "demand.grwth_per_year=0.02"], ["did you mean"]),
    (["run", "--months", "0"], ["--months", "positive"]),
    (["run", "--months", "-3"], ["--months"]),
    (["run", "--set", "policy.core_contract.end=0"], ["not after start"]),
])
def test_cli_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, words):
    out = tmp_path / "out"
    done = _cli(*args, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pcsim: error:"), done.stderr
    for word in words:
        assert word in lines[0]
    assert not out.exists()
    assert not (tmp_path / "results").exists()


def test_cli_help_explains_every_option(tmp_path):
    top = _cli("--help", cwd=tmp_path)
    assert top.returncode == 0 and "run" in top.stdout and "params" in top.stdout
    run = _cli("run", "--help", cwd=tmp_path)
    for option in ("CONFIG", "--seed", "--months", "--set", "--out", "--quiet"):
        assert option.lower() in run.stdout.lower()
    params = _cli("params", "motivation", cwd=tmp_path)
    assert "motivation.crowd_out_per_month" in params.stdout and "source" in params.stdout


@pytest.mark.parametrize("overrides, words", [
    (["population.pdsa_share=0.9", "population.formal_method_share=0.2"], ["more than 1"]),
    (["population.practices=40"], ["groupings hold all 40 practices"]),
    (["population.commissioners=5", "population.practices=3"], ["fewer than population.commissioners"]),
    (["population.practices=100", "population.patients=240000"], ["too few for 60 practices"]),
    (["workforce.sessional_share=0.35", "workforce.partner_share=0.7"], ["more than 1"]),
    (["run.name=../x"], ["run.name", "'../x'"]),
])
def test_inconsistent_populations_and_shares_are_refused(overrides, words):
    with pytest.raises(ConfigError) as err:
        configs.load(None, overrides)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize("raw", [{1: {}}, {"policy": [1]}, {"policy": [{"scheme": ["core_contract"]}]}, "text"])
def test_malformed_configs_raise_config_errors(raw):
    with pytest.raises(ConfigError):
        configs.from_dict(raw)


def test_overrides_on_a_malformed_policy_raise_config_errors():
    for raw in ({"policy": {"scheme": "core_contract"}}, {"policy": "x"}):
        with pytest.raises(ConfigError, match="not a list"):
            configs._apply_override(dict(raw), "policy.0.start", 1)


def test_zero_growth_is_allowed_though_outside_the_plausible_range():
    cfg = configs.load(None, ["demand.growth_per_year=0", "hospital.admission_growth_per_year=0"])
    assert cfg.params["demand.growth_per_year"] == 0
    with pytest.raises(ConfigError, match="-0.05 to 0.15"):
        configs.load(None, ["demand.growth_per_year=0.5"])
