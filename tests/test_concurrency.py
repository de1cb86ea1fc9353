"""Concurrent and interrupted work: nothing lost, nothing duplicated, nothing mixed, no process left behind.

* ``pcsim run`` started several times at once writes one whole folder each;
* two sweeps of one name started together never write one folder: one runs, the other is refused;
* a stale staging folder is cleaned, a live one is left alone;
* ``kill -9`` of a sweep, a sensitivity analysis or a figure set at a random moment leaves no process
  behind, and running the same command again completes it with every run once and every file whole,
  equal to an uninterrupted run (one case each here; twenty each in the slow tests);
* a Dask sweep whose workers have all gone stops with a message.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from pcsim.config import ConfigError
from pcsim.experiments import folders, sweeps

from .conftest import CONFIGS, ROOT

PYTHON = [sys.executable, "-m", "pcsim.cli"]


def sweep_spec(tmp_path: Path, name: str = "s", values: str = "[0.0, 0.04]", months: int = 24) -> Path:
    """A small sweep (8 runs, a chunk each) that keeps morale over time too."""
    spec = tmp_path / f"{name}-{abs(hash(values)) % 1000}.toml"
    spec.write_text(f'[sweep]\nname = "{name}"\nconfig = "{CONFIGS / "default.toml"}"\nreplicates = 2\n'
                    f'months = {months}\nchunk = 1\nrecord = ["morale"]\nrecord_every = 12\n[parameters]\n'
                    f'"demand.growth_per_year" = {values}\n"demand.skill_mix_absorption" = [0.3, 0.9]\n')
    return spec


def sa_spec(tmp_path: Path) -> Path:
    """A small Sobol study: 4 x 4 samples, two policies, 8 chunks."""
    spec = tmp_path / "sa.toml"
    spec.write_text(f'[sa]\nname = "k"\nconfig = "{CONFIGS / "default.toml"}"\nsamples = 4\nhorizon = 12\nchunk = 4\n'
                    f'outputs = ["emergency_admissions_per_1000", "morale"]\n[parameters]\n'
                    f'"motivation.crowd_out_per_month" = []\n"time.income_weight" = []\n')
    return spec


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    """A pcsim command in its own session (so that the test can find every process it started)."""
    return subprocess.Popen([*PYTHON, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def session_alive(sid: int) -> list[psutil.Process]:
    """Live (not zombie) processes of session ``sid``: the command and whatever it started."""
    alive = []
    for process in psutil.process_iter(["pid", "status"]):
        try:
            if os.getsid(process.pid) == sid and process.info["status"] != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


def assert_nothing_left(sid: int, within: float = 10.0) -> None:
    deadline = time.time() + within
    while time.time() < deadline:
        if not session_alive(sid):
            return
        time.sleep(0.1)
    left = [(p.pid, " ".join(p.cmdline())[:100]) for p in session_alive(sid)]
    for process in session_alive(sid):
        process.kill()
    pytest.fail(f"processes left behind after the command died: {left}")


def assert_no_partial_files(folder: Path) -> None:
    partial = [p for p in folder.rglob("*") if p.name.endswith(folders.PARTIAL) or p.name.endswith(folders.STAGING)]
    assert not partial, f"half-written files left: {partial}"


def kill_at(process: subprocess.Popen, when) -> bool:
    """SIGKILL the command (its main process only, as a user's ``kill -9 PID``) after ``when`` seconds, or
    once ``when()`` is true; whether it was still running then."""
    deadline = time.time() + (when if isinstance(when, (int, float)) else 300)
    while time.time() < deadline and process.poll() is None:
        if callable(when) and when():
            break
        time.sleep(0.02)
    if process.poll() is not None:
        return False
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return True


def assert_final_files_whole(folder: Path) -> None:
    """Every file under its final name can be read whole (a half-written one would only ever be a .part)."""
    import json

    import numpy as np
    import pyarrow.parquet as pq

    for path in folder.rglob("*"):
        if path.is_dir() or path.name.startswith("."):
            continue
        if path.suffix == ".parquet":
            pq.read_table(path)
        elif path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".csv":
            pd.read_csv(path)
        elif path.suffix == ".npz":
            with np.load(path) as data:
                [data[key] for key in data.files]
        elif path.suffix in (".png", ".pdf"):
            assert path.read_bytes()[-12:].strip(), path


# ----------------------------------------------------------------------------------------- runs
def forkserver():
    """Processes forked from a clean server with pcsim imported: quick to start, and safe to fork however
    many threads this test process has."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pcsim.experiments.runner", "pcsim.cli"])
    return context


def _run_and_write(cwd: str, barrier, queue) -> None:
    os.chdir(cwd)
    import pcsim

    result = pcsim.run(months=1)
    barrier.wait()                                   # every process writes in the same instant
    queue.put(str(result.write()))


def test_runs_started_together_write_one_whole_folder_each(tmp_path):
    """Four runs writing at once, same config, same second: four whole folders (they raced for one name
    and failed with "Directory not empty")."""
    context = forkserver()
    barrier, queue = context.Barrier(4), context.Queue()
    processes = [context.Process(target=_run_and_write, args=(str(tmp_path), barrier, queue)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * 4
    written = sorted(queue.get(timeout=5) for _ in range(4))
    assert len(set(written)) == 4
    for folder in written:
        assert sorted(p.name for p in (tmp_path / folder).iterdir()) == [
            "events.parquet", "groupings.parquet", "indicators.parquet", "manifest.json", "monthly.parquet",
            "overview.png", "practices.parquet"]
    assert_no_partial_files(tmp_path)


def test_stale_staging_folders_are_cleaned_and_live_ones_kept(tmp_path, monkeypatch):
    import pcsim

    monkeypatch.chdir(tmp_path)
    runs = tmp_path / "results" / "runs"
    stale = runs / ".old-seed1.abc.staging"
    stale.mkdir(parents=True)
    (stale / folders.LOCK).write_text("12345\n")                # its writer died: nobody holds the lock
    (stale / "monthly.parquet").write_text("half")
    live = runs / ".busy-seed1.def.staging"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pcsim.experiments import folders\n"
                               f"with folders.Claim({str(live)!r}):\n    print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"        # a writer still at work, in another process
        pcsim.run(months=1).write()
        assert not stale.exists() and live.exists()
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------------------------------- sweeps
def _sweep_in_a_fork(cwd: str, spec: str, barrier, queue) -> None:
    import contextlib
    import io

    from pcsim.cli import main

    os.chdir(cwd)
    err = io.StringIO()
    barrier.wait()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["sweep", spec, "--workers", "1"])
    queue.put((spec, code, err.getvalue()))


def test_two_sweeps_of_one_name_never_write_one_folder(tmp_path):
    """Two different specs sharing a name, started together: one runs, the other is refused in one line
    (the folder is claimed, or holds the other spec's results), and the folder holds one spec's runs
    (they merged into one runs.parquet under one manifest, and both said they had succeeded)."""
    import multiprocessing

    first, second = sweep_spec(tmp_path, "same", "[0.0, 0.02]", 24), sweep_spec(tmp_path, "same", "[0.01, 0.03]", 24)
    context = forkserver()
    barrier, queue = context.Barrier(2), context.Queue()
    processes = [context.Process(target=_sweep_in_a_fork, args=(str(tmp_path), str(spec), barrier, queue))
                 for spec in (first, second)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    outcomes = [queue.get(timeout=5) for _ in processes]
    assert sorted(code for _, code, _ in outcomes) == [0, 2], outcomes
    refused = next(err for _, code, err in outcomes if code == 2)
    assert ("being written by another pcsim process" in refused or "different spec" in refused), refused
    winner = next(spec for spec, code, _ in outcomes if code == 0)
    out = tmp_path / "results" / "sweeps" / "same"
    results = sweeps.load_results(out)
    plan = sweeps.plan_sweep(winner)
    assert len(results) == len(plan.runs) and not results.duplicated(["point", "replicate"]).any()
    assert sorted(results["x:demand.growth_per_year"].unique()) == sorted({r.values["demand.growth_per_year"]
                                                                           for r in plan.runs})
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), results)


def test_a_study_folder_has_one_writer(tmp_path, capsys):
    from pcsim.cli import main

    spec = sweep_spec(tmp_path)
    out = tmp_path / "o"
    holder = subprocess.Popen([sys.executable, "-c", "import time; from pcsim.experiments import folders\n"
                               f"with folders.Claim({str(out)!r}):\n    print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["sweep", str(spec), "--out", str(out)]) == 2
        assert f"pid {holder.pid}" in capsys.readouterr().err
        assert not (out / "manifest.json").exists()
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_the_same_sweep_twice_at_once_runs_every_run_once(tmp_path):
    spec = sweep_spec(tmp_path, months=24)
    out = tmp_path / "o"
    processes = [start(["sweep", str(spec), "--workers", "1", "--out", str(out)], tmp_path) for _ in range(2)]
    for p in processes:
        p.communicate(timeout=300)
    assert 0 in [p.returncode for p in processes]
    if any(p.returncode != 0 for p in processes):
        assert all(p.returncode in (0, 2) for p in processes)
    results = sweeps.load_results(out)
    assert len(results) == len(sweeps.plan_sweep(spec).runs) and not results.duplicated(["point", "replicate"]).any()


# --------------------------------------------------------------------------------- interruption
def reference_sweep(tmp_path: Path, spec: Path) -> pd.DataFrame:
    out = tmp_path / "reference"
    sweeps.execute(sweeps.plan_sweep(spec), out, workers=1)
    return sweeps.load_results(out), sweeps.load_series(out)


def killed_then_resumed(args: list[str], out: Path, cwd: Path, when, must_kill: bool = False) -> None:
    """Run ``pcsim args``, SIGKILL it after ``when`` seconds, check that nothing it started lives on and
    nothing is half-written, then run it again to the end."""
    process = start(args, cwd)
    killed = kill_at(process, when)
    assert killed or not must_kill, "the command ended before it could be killed"
    assert_nothing_left(process.pid)
    if out.exists():
        assert_final_files_whole(out)
    from pcsim.cli import main

    assert main(args) == 0, killed                       # the same command again, here (quicker than a new process)
    assert_no_partial_files(out)


def check_sweep_whole(out: Path, reference) -> None:
    results, series = reference
    stored = sweeps.load_results(out)
    assert not stored.duplicated(["policy", "point", "replicate"]).any()
    pd.testing.assert_frame_equal(stored, results, check_exact=True)                # nothing lost, nothing changed
    pd.testing.assert_frame_equal(sweeps.load_series(out), series, check_exact=True)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), results, check_exact=True)


def sweep_kills(tmp_path: Path, times: list) -> None:
    spec = sweep_spec(tmp_path)
    reference = reference_sweep(tmp_path, spec)
    for i, when in enumerate(times):
        out = tmp_path / f"out{i}"
        killed_then_resumed(["sweep", str(spec), "--workers", "2", "--out", str(out)], out, tmp_path, when, must_kill=callable(when))
        check_sweep_whole(out, reference)


def sa_kills(tmp_path: Path, times: list) -> None:
    from pcsim.experiments.sensitivity import Study

    spec = sa_spec(tmp_path)
    study = Study(spec)
    reference = tmp_path / "reference"
    sweeps.execute(study.plan, reference, workers=1)
    expected = study.analyse(sweeps.load_results(reference))
    for i, when in enumerate(times):
        out = tmp_path / f"out{i}"
        killed_then_resumed(["sa", str(spec), "--workers", "2", "--out", str(out)], out, tmp_path, when, must_kill=callable(when))
        stored = sweeps.load_results(out)
        assert len(stored) == len(study.plan.runs) and not stored.duplicated(["policy", "point", "replicate"]).any()
        pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"), pd.read_csv(_csv(expected, tmp_path)),
                                      check_exact=False, rtol=1e-12)


def _csv(frame: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "expected.csv"
    frame.to_csv(path, index=False)
    return path


FIGURES = "fig4_policy_contrast,fig6_investment_response"


def small_figure_specs(tmp_path: Path, names: str) -> Path:
    """Figures 4 and 6 (or those ``names``) at their quick sizes, shortened further: the figure set's own
    code, a few runs."""
    specs = tmp_path / "specs"
    specs.mkdir()
    quick = {"fig4_policy_contrast": "[quick]\nreplicates = 2\n",
             "fig6_investment_response": "[quick]\nlevels = [0, 10, 30]\nreplicates = 2\nmonths = 24\n"}
    for name, table in quick.items():
        if name not in names.split(","):
            continue
        text = (ROOT / "experiments" / "figures" / f"{name}.toml").read_text()
        text = text.split("[quick]")[0].replace('config = "../../configs/', f'config = "{CONFIGS}/')
        (specs / f"{name}.toml").write_text(text + table)
    return specs


def figure_kills(tmp_path: Path, times: list, names: str = FIGURES) -> None:
    from pcsim.cli import main

    args = ["figures", "--quick", "--specs", str(small_figure_specs(tmp_path, names)), "--workers", "2", "--out"]
    reference = tmp_path / "reference"
    assert main([*args, str(reference)]) == 0
    for i, when in enumerate(times):
        out = tmp_path / f"out{i}"
        killed_then_resumed([*args, str(out)], out, tmp_path, when, must_kill=callable(when))
        for name in names.split(","):
            for suffix in (".csv", ".png"):
                assert _sha(out / (name + suffix)) == _sha(reference / (name + suffix)), name   # as if uninterrupted
        import json

        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["complete"] and sorted(manifest["figures"]) == sorted(names.split(","))
        for figure in manifest["figures"].values():
            for name, digest in figure["files"].items():
                assert _sha(out / name) == digest, name
        stored = sweeps.load_results(next((out / "store" / "sweeps").iterdir()))
        assert not stored.duplicated(["policy", "point", "replicate"]).any()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The quick cases kill once the first results are stored, mid-way through; the slow ones at random moments
# from start-up to the end.
def first_stored(tmp_path: Path, pattern: str):
    """A moment to kill at: once some file matches ``pattern`` under the first killed run's folder."""
    return lambda: any((tmp_path / "out0").glob(pattern))


def test_a_killed_sweep_leaves_no_process_and_resumes_whole(tmp_path):
    sweep_kills(tmp_path, [first_stored(tmp_path, "chunks/*.parquet")])        # mid-way: some chunks stored


def test_a_killed_sensitivity_analysis_leaves_no_process_and_resumes_whole(tmp_path):
    sa_kills(tmp_path, [first_stored(tmp_path, "chunks/*.parquet")])


def test_a_killed_figure_set_leaves_no_process_and_resumes_whole(tmp_path):
    figure_kills(tmp_path, [first_stored(tmp_path, "store/sweeps/*/chunks/*.parquet")], "fig6_investment_response")


KILLS = 20


def moments(seed: int, longest: float) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(0.3, longest) for _ in range(KILLS)]


@pytest.mark.slow
def test_kill_9_at_random_moments_of_a_sweep(tmp_path):
    sweep_kills(tmp_path, moments(1, 9.0))


@pytest.mark.slow
def test_kill_9_at_random_moments_of_a_sensitivity_analysis(tmp_path):
    sa_kills(tmp_path, moments(2, 9.0))


@pytest.mark.slow
def test_kill_9_at_random_moments_of_a_figure_set(tmp_path):
    figure_kills(tmp_path, moments(3, 12.0))


@pytest.mark.slow
def test_two_sweeps_of_one_name_started_together_again_and_again(tmp_path):
    for i in range(12):
        folder = tmp_path / str(i)
        folder.mkdir()
        test_two_sweeps_of_one_name_never_write_one_folder(folder)


def test_sigterm_stops_a_parallel_sweep_and_its_workers(tmp_path):
    spec = sweep_spec(tmp_path, values="[0.0, 0.01, 0.02, 0.03, 0.04]", months=120)
    out = tmp_path / "o"
    process = start(["sweep", str(spec), "--workers", "2", "--out", str(out)], tmp_path)
    deadline = time.time() + 120
    while time.time() < deadline and len(psutil.Process(process.pid).children(recursive=True)) < 3:
        time.sleep(0.1)
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err, err
    assert_nothing_left(process.pid)
    assert_no_partial_files(out)


# ------------------------------------------------------------------------------------------ Dask
def test_a_dask_sweep_whose_workers_are_gone_stops_with_a_message(tmp_path, monkeypatch):
    import threading

    from distributed import Client, LocalCluster

    monkeypatch.setattr(sweeps, "DASK_IDLE_TIMEOUT", 3.0)
    plan = sweeps.plan_sweep(sweep_spec(tmp_path, values="[0.0, 0.01, 0.02, 0.03, 0.04]", months=120))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            def retire() -> None:
                time.sleep(2.0)
                cluster.scale(0)

            threading.Thread(target=retire, daemon=True).start()
            started = time.time()
            with pytest.raises(ConfigError, match="no workers for 3 s.*run the same command again"):
                sweeps.execute(plan, tmp_path / "o", client=client)
            assert time.time() - started < 60
    stored = sweeps.load_results(tmp_path / "o")
    assert len(stored) < len(plan.runs) and not stored.duplicated(["point", "replicate"]).any()
