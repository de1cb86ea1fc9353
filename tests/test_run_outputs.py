"""`pcsim run` and `pcsim.run`: the run directory, its contracts and its provenance."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import pcsim
from pcsim.config import ConfigError
from pcsim.experiments.runner import read_manifest
from pcsim.model.outputs import COLUMNS

CONTRACT = ("month, commissioner, quality_incentivised_recorded, quality_incentivised_delivered, "
            "quality_non_incentivised, continuity, admissions_per_1000_incentivised, admissions_per_1000_other, "
            "emergency_admissions, hospital_diagnostics, enablers_share, innovations_active, innovations_sustained, "
            "motivation_clinical_care, motivation_autonomy, motivation_innovator, motivation_peer_judgement, "
            "self_efficacy, morale, burnout, gps, gp_exits, admin_hours_per_gp, transformation_hours_per_gp, "
            "spend_capitation, spend_incentives, spend_investment, hospital_cost, net_savings").split(", ")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """`pcsim run` with no config, as a user would type it (two years to keep the suite fast)."""
    cwd = tmp_path_factory.mktemp("cwd")
    done = subprocess.run([sys.executable, "-m", "pcsim.cli", "run", "--months", "24"], capture_output=True,
                          text=True, cwd=cwd, timeout=300)
    assert done.returncode == 0, done.stderr
    runs = list((cwd / "results" / "runs").iterdir())
    assert len(runs) == 1
    assert str(runs[0].name) in done.stdout and "month 0" in done.stdout
    return runs[0]


def test_run_directory_has_its_files_and_nothing_half_written(run_dir):
    assert sorted(p.name for p in run_dir.iterdir()) == ["events.parquet", "groupings.parquet", "indicators.parquet",
                                                        "manifest.json", "monthly.parquet", "overview.png",
                                                        "practices.parquet"]
    assert not [p for p in run_dir.parent.iterdir() if p.name.startswith(".")]


def test_practices_table_has_every_practice_every_month_and_agrees_with_the_monthly_table(run_dir):
    practices = pd.read_parquet(run_dir / "practices.parquet")
    assert list(practices.columns) == ["month", "practice", "grouping", "commissioner", "list_size",
                                       "quality_incentivised_delivered", "quality_incentivised_recorded",
                                       "quality_non_incentivised", "continuity", "admissions_per_1000", "gps",
                                       "morale", "income_per_patient"]
    monthly = pd.read_parquet(run_dir / "monthly.parquet").set_index("month")
    assert len(practices) == 24 * practices["practice"].nunique() and not practices.isna().any().any()
    by_month = practices.groupby("month")
    assert np.allclose(by_month["gps"].sum(), monthly["gps"])
    weighted = (practices["continuity"] * practices["list_size"]).groupby(practices["month"]).sum()
    assert np.allclose(weighted / by_month["list_size"].sum(), monthly["continuity"])
    spread = by_month["quality_incentivised_delivered"].quantile(0.9) - by_month["quality_incentivised_delivered"].quantile(0.1)
    assert np.allclose(spread, monthly["delivered_care_interdecile"])


def test_events_table_records_the_timeline(run_dir):
    events = pd.read_parquet(run_dir / "events.parquet")
    assert list(events.columns) == ["month", "commissioner", "decision", "scheme", "reason"]
    assert events.iloc[0].to_dict() == {"month": 0, "commissioner": 0, "decision": "start", "scheme": "core_contract",
                                        "reason": "the config's timeline"}


def test_monthly_columns_keep_the_contract(run_dir):
    monthly = pd.read_parquet(run_dir / "monthly.parquet")
    for name in CONTRACT:
        assert name in monthly.columns, name
    assert list(monthly.columns) == ["month", "commissioner", *COLUMNS]
    assert len(monthly) == 24 and monthly["month"].tolist() == list(range(24))
    assert not monthly.isna().any().any()


def test_indicators_table(run_dir):
    indicators = pd.read_parquet(run_dir / "indicators.parquet")
    assert list(indicators.columns) == ["month", "commissioner", "indicator", "kind", "in_scheme", "recorded",
                                        "delivered"]
    assert set(indicators["kind"]) == {"recording", "action"}
    assert indicators["indicator"].nunique() >= 15
    assert len(indicators) == 24 * indicators["indicator"].nunique()
    assert indicators[["recorded", "delivered"]].stack().between(0, 1).all()


def test_manifest_records_what_made_the_run(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for key in ("config", "seed", "pcsim_version", "git", "versions", "started", "finished", "config_hash"):
        assert key in manifest, key
    assert manifest["config"]["run"]["months"] == 24
    assert manifest["config"]["demand"]["consultations_per_patient_year"] == 5.5
    assert manifest["versions"]["mesa"] == "3.5.1"
    assert manifest["git"]["commit"]
    for name in ("monthly.parquet", "indicators.parquet"):
        assert read_manifest(run_dir / name)["config_hash"] == manifest["config_hash"]


def test_overview_is_a_real_figure(run_dir):
    from PIL import Image

    image = Image.open(run_dir / "overview.png")
    assert image.width > 1000 and image.height > 800
    pixels = np.asarray(image.convert("L"))
    assert pixels.std() > 20  # not blank
    assert "pcsim" in image.info.get("Software", "")


def test_python_api_returns_tables_and_manifest():
    result = pcsim.run(seed=3, months=6, demand__growth_per_year=0.02)
    assert result.manifest["seed"] == 3
    assert result.manifest["config"]["demand"]["growth_per_year"] == 0.02
    assert len(result.monthly) == 6 and len(result.indicators) > 6
    gp = result.model.gps[0]
    assert 0 <= gp.motivation.autonomy <= 1


def test_writing_into_a_non_empty_directory_is_refused(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = pcsim.run(months=2)
    with pytest.raises(ConfigError, match="not empty"):
        result.write(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_groupings_table(run_dir):
    groupings = pd.read_parquet(run_dir / "groupings.parquet")
    assert sorted(groupings["grouping"].unique()) == ["A", "B", "C", "D", "E", "F"]
    assert len(groupings) == 24 * 6
    for column in ("month", "kind", "selected", "enablers_delivered", "innovation_stage", "sharing", "spend_investment",
                   "morale", "lead_morale", "failed"):
        assert column in groupings.columns
    assert set(groupings["kind"]) <= {"single practice", "small grouping", "network", "federation"}
    assert not groupings["selected"].any()          # the status quo funds nobody


def test_a_config_without_named_groupings_runs_and_writes_an_empty_groupings_table(tmp_path):
    bare = pcsim.run({"groupings": [], "run": {"months": 3}})
    assert bare.groupings.empty and "grouping" in bare.groupings.columns
    bare.write(tmp_path / "bare")
    assert pd.read_parquet(tmp_path / "bare" / "groupings.parquet").empty
