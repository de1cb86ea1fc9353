"""The teaching visualisation in a real browser: headless Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from pcsim.viz import page as viz

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "results" / "browser"
# What each chart shows right now: matplotlib panels are <img>s, Vega-Lite (Altair) panels are canvases.
CHARTS = ("[...Array.from(document.querySelectorAll('img')).map(img => img.src), "
          "...Array.from(document.querySelectorAll('.vega-embed canvas')).map(c => c.toDataURL())]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pcsim.cli", "viz", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"pcsim viz did not start: {process.stdout.read()}")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.browser
def test_a_student_can_change_the_regime_step_and_see_the_charts_change(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1300})
        problems = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: problems.append(f"failed request {r.url}"))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(server)
        step = page.get_by_role("button", name="Step")
        step.wait_for(timeout=60_000)
        step.click()
        page.get_by_text("Time: 1").wait_for(timeout=30_000)
        page.get_by_text("Status quo (core contract)").first.click()
        page.get_by_role("option", name="Micro-incentives (QOF and enhanced services)").click()
        page.get_by_role("button", name="Reset").click()                 # a new model with the chosen regime
        page.get_by_text("Time: 0").wait_for(timeout=30_000)
        page.wait_for_function(f"{CHARTS}.length >= 6", timeout=30_000)
        before = page.evaluate(CHARTS)
        for month in (1, 2, 3):
            step.click()
            page.get_by_text(f"Time: {month}").wait_for(timeout=30_000)
        page.wait_for_function(f"prev => {CHARTS}.filter((chart, i) => chart !== prev[i]).length >= 5", arg=before,
                               timeout=30_000)
        after = page.evaluate(CHARTS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viz.png"), full_page=True)
        text = page.inner_text("body")
        browser.close()
    assert len(after) == 6 and sum(a != b for a, b in zip(before, after)) >= 5
    assert "Traceback" not in text and "Error" not in text
    assert not problems, problems


def test_the_network_layout_is_fixed_and_keeps_groupings_together():
    model = viz.TeachingModel()
    layout = viz.practice_layout(model.sim.structure)
    model.step()
    np.testing.assert_array_equal(layout, model.layout)
    s = model.sim.structure
    named = np.flatnonzero(s.grouping_named)
    hubs = np.array([layout[s.practice_grouping == g].mean(axis=0) for g in named])
    gaps = np.linalg.norm(hubs[:, None] - hubs[None], axis=-1)[np.triu_indices(len(named), 1)]
    assert gaps.min() > 0.2                                   # groupings' labels do not pile up


def test_every_teaching_scenario_builds_and_steps():
    for scenario in viz.SCENARIOS:
        model = viz.TeachingModel(regime=scenario, seed="3")
        model.step()
        assert model.sim.month == 1


def test_the_class_can_work_on_another_commissioner(monkeypatch, tmp_path):
    config = tmp_path / "small.toml"
    config.write_text("[population]\npractices = 60\npatients = 400000\n")
    monkeypatch.setenv(viz.CONFIG_VARIABLE, str(config))
    assert viz.TeachingModel().sim.structure.n_practices == 60


def test_viz_refuses_a_bad_config_or_port_before_serving(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "pcsim.cli", "viz", str(tmp_path / "missing.toml")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "does not exist" in bad.stderr
    port = subprocess.run([sys.executable, "-m", "pcsim.cli", "viz", "--port", "70000"], capture_output=True,
                          text=True, timeout=60)
    assert port.returncode == 2 and "port" in port.stderr
