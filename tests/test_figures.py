"""`pcsim figures`: every figure and table of the paper from one command, identical when run again,
each file traceable to its config, seeds and commit; bad specs named."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from pcsim import cli
from pcsim.experiments import provenance
from pcsim.figures import style
from pcsim.experiments import store
from pcsim.figures import KINDS, load_specs
from pcsim.figures.base import wilson

from .conftest import ROOT

SPECS = ROOT / "experiments" / "figures"
DRAWN = ("png", "pdf")


def figures(out: Path, *extra: str) -> int:
    return cli.main(["figures", "--quick", "--specs", str(SPECS), "--out", str(out), "--workers", "2", *extra])


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """`pcsim figures --quick` run twice into one directory: the second run draws from the stored runs."""
    out = tmp_path_factory.mktemp("figures")
    assert figures(out) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    first_manifest = json.loads((out / "manifest.json").read_text())
    assert figures(out) == 0
    return out, first, first_manifest


def expected_files(spec) -> set[str]:
    files = {f"{spec.name}.csv", f"{spec.name}.json"}
    if spec.kind == "scorecard":
        return files | {f"{spec.name}.md", f"{spec.name}.tex", f"{spec.name}_summary.csv"}
    files |= {f"{spec.name}.{suffix}" for suffix in DRAWN}
    if spec.kind == "ace_pilot":
        files |= {f"{spec.name}_table1.csv", f"{spec.name}_table1.md"}
    return files


def test_every_figure_and_table_of_the_paper_has_a_spec():
    kinds = [spec.kind for spec in load_specs(SPECS, quick=True)]
    assert sorted(kinds) == sorted(KINDS)


def test_quick_run_writes_every_file(made):
    out, first, manifest = made
    specs = load_specs(SPECS, quick=True)
    wanted = set().union(*(expected_files(s) for s in specs)) | {"manifest.json"}
    assert wanted <= set(first)
    assert set(manifest["figures"]) == {s.name for s in specs}
    for spec in specs:
        data = pd.read_csv(out / f"{spec.name}.csv")
        assert len(data) > 0, spec.name
        listed = json.loads((out / f"{spec.name}.json").read_text())["files"]
        for name, digest in listed.items():
            assert provenance_sha(out / name) == digest, name


def provenance_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_figures_are_drawn_at_journal_widths(made):
    out, _, _ = made
    widths = {int(style.FULL * style.DPI), int(style.COLUMN * style.DPI)}
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 9
    for png in pngs:
        with Image.open(png) as image:
            assert image.width in widths, png.name
            assert image.height < 1.2 * image.width
            pixels = np.asarray(image.convert("L"))
            assert pixels.std() > 10, png.name                  # something is drawn
        assert png.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_running_twice_gives_identical_files_from_stored_runs(made):
    out, first, first_manifest = made
    second = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    for name, content in first.items():
        if name.endswith(".json"):                               # provenance: the same, but for reuse and times
            assert without_reuse(second[name]) == without_reuse(content), name
        else:
            assert second[name] == content, name
    manifest = json.loads((out / "manifest.json").read_text())
    reused_first = [name for name, entry in first_manifest["figures"].items() if entry["reused_runs"]]
    # fig4 shares fig3's runs (same config and seeds); fig9 shares fig8's ensemble and fig7's calibration
    assert reused_first == ["fig4_policy_contrast", "fig9_evppi"]
    assert all(entry["reused_runs"] for entry in manifest["figures"].values())


def without_reuse(text: bytes) -> dict:
    manifest = json.loads(text)
    for key in ("started", "finished", "command", "fresh"):
        manifest.pop(key, None)
    for entry in manifest.get("stored_runs", []):
        entry.pop("reused")
        entry.pop("stored_before", None)
    for entry in manifest.get("figures", {}).values():
        entry.pop("reused_runs")
    return manifest


def test_running_from_scratch_gives_identical_files(made, tmp_path):
    """A second, independent run (fresh store, one worker instead of two) gives the same bytes."""
    out, first, _ = made
    assert figures(tmp_path, "--fresh", "--workers", "1") == 0
    for name, content in first.items():
        if not name.endswith(".json"):
            assert (tmp_path / name).read_bytes() == content, name


def test_each_file_traces_to_its_config_seeds_and_commit(made):
    out, _, _ = made
    commit = provenance.git_commit()["commit"]
    for spec in load_specs(SPECS, quick=True):
        manifest = json.loads((out / f"{spec.name}.json").read_text())
        assert manifest["git"]["commit"] == commit
        assert manifest["seeds"] and manifest["spec"]["quick"] is True
        assert manifest["spec"]["sha256"] == spec.digest()
        for entry in manifest["configs"].values():
            assert provenance.config_hash(entry["config"]) == entry["hash"]
        assert manifest["stored_runs"], spec.name
        if (out / f"{spec.name}.png").exists():
            with Image.open(out / f"{spec.name}.png") as image:
                assert commit in image.text["Description"]
            assert commit.encode() in (out / f"{spec.name}.pdf").read_bytes()


def test_the_scorecard_reports_every_pattern_with_a_verdict(made):
    out, _, _ = made
    table = pd.read_csv(out / "table1_pattern_scorecard_summary.csv")
    assert list(table["pattern"]) == list(range(1, 13))
    assert set(table["result"]) <= {"pass", "fail"}
    assert table["model_gives"].str.len().min() > 20
    checks = pd.read_csv(out / "table1_pattern_scorecard.csv")
    with_mechanism = checks[checks["arm"] == "with mechanism"]
    assert (with_mechanism.groupby("pattern")["passed"].all().map({True: "pass", False: "fail"}).to_numpy()
            == table["result"].to_numpy()).all()
    knocked = checks[checks["arm"] == "knocked out"].groupby("pattern")["passed"].all()     # patterns 1-12
    assert list(knocked.index) == list(range(1, 13))
    reported = table.set_index("pattern")["knocked_out"].loc[knocked.index]
    assert (reported == knocked.map({True: "holds", False: "fails"})).all()
    reproduced = table.set_index("pattern").loc[knocked.index]
    assert ((reproduced["reproduced"] == "yes") == ((reproduced["result"] == "pass") & ~knocked)).all()
    markdown = (out / "table1_pattern_scorecard.md").read_text()
    assert len(re.findall(r"^\| \d+ \|", markdown, flags=re.M)) == 12


def test_the_ace_table_sets_the_model_beside_miller_table_1(made):
    out, _, _ = made
    table = pd.read_csv(out / "fig2_ace_pilot_table1.csv").set_index("grouping")
    series = pd.read_csv(out / "fig2_ace_pilot.csv")
    assert list(table.index) == list("ABCDEF")
    assert table.loc["B", "miller_population"] == 31_500 and table.loc["F", "miller_practices"] == "1 (10 sites)"
    assert list(table.index[table["miller_sustained_after_pilot"]]) == ["B", "D", "E"]
    assert (table["model_enablers_end_of_funding"] == 4).all()           # pattern 4: every grouping, all four
    final = series[(series["series"] == "innovation_running") & (series["month"] == series["month"].max())]
    assert np.allclose(final.set_index("grouping")["mean"].loc[table.index],
                       table["model_share_running_end_of_follow_up"])


def test_the_contrast_pairs_runs_by_seed(made):
    """Arms that share a large seed-to-seed spread but differ by a constant: the paired interval of the
    difference is narrow, as only pairing makes it; and the CSV holds the mission's contrast."""
    from pcsim.experiments.compare import METRIC_NAMES
    from pcsim.figures.contrast import _comparisons

    rng = np.random.default_rng(3)
    spread = rng.normal(1.0, 0.3, size=(8, 1))                           # what a seed does to both arms
    metrics = list(METRIC_NAMES)
    arms = [pd.DataFrame(spread + shift + rng.normal(0, 1e-3, (8, len(metrics))), columns=metrics)
            .assign(policy=name, replicate=range(8)) for name, shift in (("a", 0.0), ("b", 0.1))]
    rows = _comparisons(pd.concat(arms, ignore_index=True), "a", "b").set_index("metric")
    assert np.allclose(rows["difference"], 0.1, atol=2e-3)
    assert ((rows["difference_high"] - rows["difference_low"]) < 0.01).all()   # unpaired, it would be ~0.3
    data = pd.read_csv(made[0] / "fig4_policy_contrast.csv")
    assert "investment_fund minus micro_incentives" in set(data["comparison"])


def _inside(fig, artists) -> list[str]:
    """The texts of ``artists`` that reach outside the figure (none should)."""
    fig.canvas.draw()
    box = fig.bbox
    outside = []
    for artist in artists:
        extent = artist.get_window_extent()
        if extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1:
            outside.append(getattr(artist, "get_text", lambda: type(artist).__name__)())
    return outside


def test_figure_4_keeps_its_legend_and_labels_inside_the_figure(made):
    """The legend was cut off at the right edge of Figure 4."""
    from pcsim.figures import contrast
    from pcsim.figures.base import Result

    spec = next(s for s in load_specs(SPECS, quick=True) if s.name == "fig4_policy_contrast")
    fig = contrast.draw(Result(pd.read_csv(made[0] / "fig4_policy_contrast.csv"), {}, []), spec)
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert len(legends) == 1
    fig.canvas.draw()                                        # ticks as drawn
    texts = [t for ax in fig.axes for t in (ax.xaxis.label, *_shown(ax.get_xticklabels(), ax.get_xlim(), 0),
                                            *_shown(ax.get_yticklabels(), ax.get_ylim(), 1))]
    assert not _inside(fig, [*legends, *texts])


def _shown(labels, limits, axis: int):
    """Tick labels inside the axis's view (matplotlib keeps, but does not draw, some beyond it)."""
    low, high = sorted(limits)
    return [t for t in labels if low <= t.get_position()[axis] <= high]


def test_the_sobol_figure_names_parameters_by_their_labels(made):
    from pcsim.figures import sobol
    from pcsim.figures.base import Result
    from pcsim.inputs.parameters import PARAMETERS

    spec = next(s for s in load_specs(SPECS, quick=True) if s.name == "fig5_sobol_contrast")
    notes = json.loads((made[0] / "fig5_sobol_contrast.json").read_text())["notes"]
    fig = sobol.draw(Result(pd.read_csv(made[0] / "fig5_sobol_contrast.csv"), {}, [], notes), spec)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(shown) == sorted(PARAMETERS[name].label for name in notes["parameters"])
    assert not _inside(fig, fig.axes[0].get_yticklabels())


def test_the_code_fingerprint_follows_the_simulation_code_not_its_presentation(tmp_path):
    package = tmp_path / "pcsim"
    shutil.copytree(Path(store.__file__).resolve().parents[1], package)
    before = store.code_fingerprint(package)
    with open(package / "experiments" / "plots.py", "a") as f:
        f.write("\n# a presentation change\n")
    with open(package / "figures" / "motivation.py", "a") as f:
        f.write("\n# a change of drawing\n")
    with open(package / "viz" / "page.py", "a") as f:
        f.write("\n# a change of the teaching page\n")
    assert store.code_fingerprint.__wrapped__(package) == before
    with open(package / "model" / "hospital.py", "a") as f:
        f.write("\n# a change of the model\n")
    assert store.code_fingerprint.__wrapped__(package) != before


def test_wilson_interval_of_a_share():
    hits = np.array([[1, 1, 1, 0], [0, 0, 0, 0]], dtype=float)
    p, low, high = wilson(hits, axis=1)
    assert p.tolist() == [0.75, 0.0]
    assert low[0] == pytest.approx(0.3006, abs=1e-3) and high[0] == pytest.approx(0.9544, abs=1e-3)
    assert low[1] == pytest.approx(0.0, abs=1e-12) and 0.4 < high[1] < 0.5


@pytest.mark.parametrize("text, words", [
    ('[figure]\nkind = "pie"\ncaption = "x"\n', ["figure.kind", "'pie'", "qof_history"]),
    ('[figure]\nkind = "motivation"\ncaption = "x"\nreplicate = 4\n', ["figure.replicate", "replicates"]),
    ('[figure]\nkind = "motivation"\ncaption = "x"\nreplicates = "many"\n', ["figure.replicates", "'many'",
                                                                           "whole number"]),
    ('[figure]\nkind = "motivation"\ncaption = "x"\nreplicates = 1\n', ["figure.replicates", "1", "at least 2"]),
    ('[figure]\nkind = "motivation"\n', ["caption"]),
    ('[figure]\nkind = "motivation"\ncaption = "x"\n[quick]\nkind = "sobol"\n', ["quick.kind"]),
    ('[figure]\nkind = "motivation"\ncaption = "x"\n[plots]\n', ["'plots'", "[figure]"]),
    ('[figure]\nkind = "motivation"\ncaption = "x"\npolicies = ["status_quo", "bonus"]\n', ["'bonus'", "known"]),
    ('figure = "x"\n', ["'figure'", "[figure]"]),
    ('[figure]\nkind = "contrast"\ncaption = "x"\ncontrast = ["status_quo", "status_quo"]\n',
     ["figure.contrast", "two different"]),
    ('[figure]\nkind = "scorecard"\ncaption = "x"\nresponse_figure = "fig1_bad"\n', ["response_figure", "'response'"]),
    ('[figure]\nkind = "ace_pilot"\ncaption = "x"\n', ["investment_fund", "month 0"]),
    (f'[figure]\nkind = "ace_pilot"\ncaption = "x"\nconfig = "{ROOT / "configs" / "england.toml"}"\n', ["A-F"]),
    ('[figure]\nkind = "response"\ncaption = "x"\nlevels = [10, -5]\n', ["figure.levels", "negative"]),
])
def test_a_bad_spec_is_named_and_nothing_is_written(tmp_path, capsys, text, words):
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "fig1_bad.toml").write_text(text)
    out = tmp_path / "out"
    code = cli.main(["figures", "--quick", "--specs", str(specs), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    for word in words:
        assert word in err
    assert not any(p.suffix in (".png", ".csv") for p in out.rglob("*")) if out.exists() else True


def test_an_unknown_figure_name_is_named(capsys):
    assert cli.main(["figures", "--quick", "--specs", str(SPECS), "--only", "fig9_nothing"]) == 2
    assert "fig9_nothing" in capsys.readouterr().err


def test_the_store_reuses_runs_only_for_the_same_config_and_seeds(tmp_path):
    from pcsim import config as configs

    config = configs.load(None, ["run.months=6"])
    kept = store.Store(tmp_path)
    first = kept.simulate(config, [1, 2])
    again = kept.simulate(config, [1, 2])
    other_seeds = kept.simulate(config, [1, 3])
    other_config = kept.simulate(config.replace(**{"demand.growth_per_year": 0.05}), [1, 2])
    assert [entry["reused"] for entry in kept.used] == [False, True, False, False]
    assert np.array_equal(again.monthly, first.monthly) and again.codes == first.codes
    assert np.array_equal(other_seeds.monthly[:, :, 0], first.monthly[:, :, 0])       # seed 1 is seed 1
    assert not np.array_equal(other_seeds.monthly[:, :, 1], first.monthly[:, :, 1])
    assert not np.array_equal(other_config.monthly, first.monthly)
    fresh = store.Store(tmp_path, fresh=True)
    fresh.simulate(config, [1, 2])
    fresh.simulate(config, [1, 2])                                # made this session: reused even when fresh
    assert [entry["reused"] for entry in fresh.used] == [False, True]
