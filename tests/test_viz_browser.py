"""The teaching page in a real browser: headless Debian Chromium driven by Playwright, against one
``pcsim viz`` server started for this module.

Each point of the page is tested at the two window sizes a class meets, a projector (1280x720) and a
laptop or large screen (1920x1080). The 1280x720 cases and the layout check at both sizes run in the
default suite; the 1920x1080 repeats of the others are marked slow. Every page a test opens fails the
test if it asks any host but the server for anything, logs a JavaScript error or shows a traceback;
screenshots are kept in results/browser/.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest
from playwright.sync_api import expect

from pcsim.viz import charts, world
from pcsim.viz.page import DEFAULT_SPEED, SPEEDS, TITLE
from pcsim.viz.scenarios import MONTHS, SCENARIOS, levers

from .conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "results" / "browser"
PROJECTOR, SCREEN = (1280, 720), (1920, 1080)
# 1280x720 in the default suite, 1920x1080 with the slow tests
SIZES = [pytest.param(PROJECTOR, id="1280x720"), pytest.param(SCREEN, id="1920x1080", marks=pytest.mark.slow)]
BOTH_SIZES = [pytest.param(PROJECTOR, id="1280x720"), pytest.param(SCREEN, id="1920x1080")]
ACE_DIRECTIVE = "ACE pilot, then directive roll-out"

MONTH = "parseInt(document.querySelector('[data-monitor=month] .pcsim-monitor-value').textContent)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("viz") / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "pcsim.cli", "viz", "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                break
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    else:
        process.kill()
    if process.poll() is not None:
        pytest.fail(f"pcsim viz did not start: {log.read_text()}")
    yield {"url": url, "host": f"127.0.0.1:{port}", "log": log}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def open_page(browser, server, size, name: str):
    """A fresh tab on the page at ``size``, ready to use; on leaving it, a screenshot, and the checks
    every page must pass: nothing asked of another host, no JavaScript error, no traceback."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
    page = context.new_page()
    problems, hosts = [], set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed request {request.url}"))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server["url"])
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    wait_drawn(page)
    try:
        yield page
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size[0]}x{size[1]}.png"))
        text = page.inner_text("body")
    finally:
        context.close()
    assert hosts == {server["host"]}, f"requests left the machine: {hosts - {server['host']}}"
    assert not problems, problems
    assert "Traceback" not in text


def month(page) -> int:
    return page.evaluate(MONTH)


def wait_month(page, value: int) -> None:
    page.wait_for_function(f"{MONTH} === {value}", timeout=30_000)


def wait_drawn(page) -> None:
    """Every chart on show has drawn the world's current month."""
    page.wait_for_function(
        "(() => { if (!document.querySelector('[data-monitor=month]')) return false;"
        " const m = " + MONTH + "; const plots = document.querySelectorAll('.pcsim-vega-plot');"
        " return plots.length === 8 && Array.from(plots).every(p => p.pcsimView &&"
        " (p.closest('[data-panel=network]') || p.closest('[data-panel=spread]') ||"
        " p.pcsimView.data('months').length === m)); })()", timeout=30_000)


def step(page, months: int) -> None:
    start = month(page)
    for i in range(months):
        page.get_by_role("button", name="Step").click()
        wait_month(page, start + i + 1)
    wait_drawn(page)


def reset(page) -> None:
    page.get_by_role("button", name="Reset").click()


def choose_scenario(page, label: str) -> None:
    page.locator(".pcsim-scenario").click()
    page.get_by_role("option", name=label, exact=True).click()
    page.locator(f"[data-scenario='{label}']").wait_for(timeout=10_000)


def lever_value(page, name: str) -> str:
    return page.locator(f"[data-lever={name}] .pcsim-value").inner_text()


def wait_value(page, name: str, shown: str, differs: bool = False) -> None:
    """The slider's label shows ``shown`` (or, with ``differs``, anything else) once the server has
    taken the value in."""
    value = expect(page.locator(f"[data-lever={name}] .pcsim-value"))
    (value.not_to_have_text if differs else value.to_have_text)(shown, timeout=10_000)


def drag(page, name: str, fraction: float) -> None:
    """Drag a slider's thumb with the mouse to ``fraction`` of its track (beyond 0-1: past an end)."""
    lever = page.locator(f"[data-lever={name}]")
    lever.scroll_into_view_if_needed()
    track = lever.locator(".v-slider").bounding_box()
    thumb = lever.locator(".v-slider__thumb-container").bounding_box()
    x, y = thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    target = min(max(track["x"] + fraction * track["width"], 1), page.viewport_size["width"] - 1)
    page.mouse.move(target, y, steps=8)
    page.mouse.up()


def monitor(page, key: str) -> str:
    return page.locator(f"[data-monitor={key}] .pcsim-monitor-value").inner_text()


def no_alert(page) -> None:
    assert page.locator("[role=alert]").count() == 0, page.locator("[role=alert]").all_inner_texts()


# ---------------------------------------------------------------------- 1. robust to any input
@pytest.mark.parametrize("size", SIZES)
def test_a_bad_value_shows_a_message_beside_its_control_and_keeps_the_world(browser, server, size):
    with open_page(browser, server, size, "bad-input") as page:
        step(page, 3)
        seed = page.locator(".pcsim-seed input")
        for bad in ("abc", "-3", "1.5", ""):
            seed.fill(bad)
            message = page.locator("[role=alert][data-control=seed]")
            message.wait_for(timeout=10_000)
            assert "seed" in message.inner_text()
            box, field = message.bounding_box(), seed.bounding_box()
            assert 0 <= box["y"] - field["y"] < 90 and box["x"] < field["x"] + field["width"]   # beside the box
            reset(page)
            page.locator("[role=alert][data-control=reset]").wait_for(timeout=10_000)
            time.sleep(0.5)
            assert month(page) == 3                       # the world on the page is kept
        seed.fill("5")
        page.locator("[role=alert]").first.wait_for(state="detached", timeout=10_000)
        reset(page)
        wait_month(page, 0)
        wait_drawn(page)
        no_alert(page)
        assert page.locator("[data-control=pending]").count() == 0


# ---------------------------------------------------------------------- 2. usable with a mouse at both sizes
@pytest.mark.parametrize("size", SIZES)
def test_every_slider_moves_with_the_mouse_shows_its_value_and_both_its_ends_build_a_world(browser, server, size):
    with open_page(browser, server, size, "sliders") as page:
        assert lever_value(page, "speed") == str(DEFAULT_SPEED)
        drag(page, "speed", 1.1)
        wait_value(page, "speed", str(SPEEDS[1]))
        for name, lever in levers().items():
            assert lever_value(page, name) == lever.show(lever.default)
            assert page.locator(f"[data-lever={name}] .v-slider").bounding_box()["width"] > 200
            drag(page, name, 0.8)
            wait_value(page, name, lever.show(lever.default), differs=True)
            for fraction, end in ((1.1, lever.high), (-0.1, lever.low)):
                drag(page, name, fraction)
                wait_value(page, name, lever.show(end))
                reset(page)
                page.locator("[data-control=pending]").wait_for(state="detached", timeout=10_000)
                no_alert(page)
            drag(page, name, (lever.default - lever.low) / (lever.high - lever.low))


@pytest.mark.parametrize("size", BOTH_SIZES)
def test_the_page_fits_the_window_whatever_the_scenario(browser, server, size):
    with open_page(browser, server, size, "layout") as page:
        assert page.title() == TITLE
        text = page.inner_text("body")
        for developer in ("Use Threads", "Render Interval", "Play Interval", "Page 0", "PAGE 0", "runs on Solara"):
            assert developer not in text
        assert page.get_by_role("tab").all_inner_texts() == ["MODEL", "INFO"]
        for label, scenario in SCENARIOS.items():
            choose_scenario(page, label)
            assert scenario.description in page.locator(".pcsim-scenario-text").inner_text()
            layout = page.evaluate("""() => {
                const box = e => e.getBoundingClientRect();
                const overflowing = sel => Array.from(document.querySelectorAll(sel))
                    .filter(e => e.scrollWidth > e.clientWidth + 1)
                    .map(e => e.className + ' ' + e.textContent.slice(0, 40));
                return {sidebar: box(document.querySelector('.pcsim-sidebar')),
                        main: box(document.querySelector('.pcsim-main')),
                        panels: Array.from(document.querySelectorAll('.pcsim-panel')).map(box),
                        monitors: Array.from(document.querySelectorAll('.pcsim-monitor')).map(box),
                        buttons: Array.from(document.querySelectorAll('.pcsim-buttons .v-btn')).map(box),
                        overflowing: overflowing('.pcsim-sidebar, .pcsim-main, .pcsim-panel, .pcsim-monitor, '
                            + '.pcsim-monitor-value, .pcsim-lever-head span, .pcsim-scenario-text'),
                        page: [document.documentElement.scrollWidth, window.innerWidth]};
            }""")
            assert layout["sidebar"]["width"] == 330, label
            assert not layout["overflowing"], (label, layout["overflowing"])
            assert layout["page"][0] <= layout["page"][1]
            assert all(p["left"] >= layout["sidebar"]["right"] and p["right"] <= size[0] for p in layout["panels"])
            assert all(m["top"] >= 0 and m["bottom"] <= size[1] and m["right"] <= size[0] for m in layout["monitors"])
            assert all(b["bottom"] <= size[1] and b["width"] > 60 for b in layout["buttons"])
        step(page, 2)


# ---------------------------------------------------------------------- 3. Info tab and scenario descriptions
@pytest.mark.parametrize("size", SIZES)
def test_the_info_tab_follows_netlogos_convention_and_cites_the_publications(browser, server, size):
    with open_page(browser, server, size, "info") as page:
        page.get_by_role("tab", name="Info").click()
        info = page.locator(".pcsim-info")
        info.wait_for(timeout=10_000)
        headings = [h.strip().lower() for h in info.locator("h2").all_inner_texts()]
        assert headings == ["what is it?", "how it works", "how to use it", "things to notice", "things to try",
                            "extending the model", "credits and references"]
        text = info.inner_text()
        for reference in ("Miller R (2018)", "Miller R (2016)", "Nuffield Trust (2015)",
                          "Transforming Primary Care Clinical Cabinet (2018)"):
            assert reference in text
        assert "seeds/" not in text and "/work/" not in text and "shared/" not in text
        for label in SCENARIOS:
            assert label in text
        page.get_by_role("tab", name="Model").click()
        wait_drawn(page)


# ---------------------------------------------------------------------- 4 and 9. monitors, and the data taken home
@pytest.mark.parametrize("size", SIZES)
def test_the_monitors_agree_with_the_monthly_data_downloaded_as_csv(browser, server, size):
    with open_page(browser, server, size, "monitors") as page:
        choose_scenario(page, "Micro-incentives (QOF and enhanced services)")
        reset(page)
        wait_month(page, 0)
        step(page, 14)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download monthly data (CSV)").click()
        assert download.value.suggested_filename == \
            "pcsim-micro-incentives-qof-and-enhanced-services-seed1-month14.csv"
        data = pd.read_csv(io.StringIO(open(download.value.path()).read()))
        assert len(data) == 14 and data["month"].tolist() == list(range(14))
        assert monitor(page, "month") == f"14 of {MONTHS}" and monitor(page, "year") == "2, month 2"
        assert monitor(page, "exits") == f"{data['gp_exits'].sum():.0f}"
        assert monitor(page, "gps").startswith(f"{data['gps'].iloc[-1]:.0f} of ")
        spend = (data["spend_incentives"] + data["spend_investment"] + data["spend_risk_sharing"]).sum()
        assert spend > 0 and monitor(page, "spend") == f"GBP {spend / 1e6:,.1f}m"
        savings = data["hospital_cost_avoided"].sum()
        assert monitor(page, "savings").replace("-GBP ", "GBP -") == f"GBP {savings / 1e6:,.1f}m"
        assert monitor(page, "innovations") == f"{data['innovations_running'].iloc[-1]:.0f}"
        with page.expect_download() as download:
            page.get_by_role("button", name="Download settings (JSON)").click()
        manifest = json.loads(open(download.value.path()).read())
        assert manifest["seed"] == 1 and manifest["months_simulated"] == 14
        assert manifest["teaching_scenario"].startswith("Micro-incentives") and "commit" in manifest["git"]
        with page.expect_download() as again:                          # a second click downloads again
            page.get_by_role("button", name="Download monthly data (CSV)").click()
        assert len(pd.read_csv(again.value.path())) == 14


# ---------------------------------------------------------------------- 5. agents to see and inspect
@pytest.mark.parametrize("size", SIZES)
def test_a_practice_can_be_inspected_and_a_colour_change_applies_at_once(browser, server, size):
    with open_page(browser, server, size, "inspect") as page:
        step(page, 2)
        network = page.locator("[data-panel=network] .pcsim-vega-plot")
        network.scroll_into_view_if_needed()
        model = world.TeachingModel()
        assert network.locator("g.mark-rule.role-mark line").count() == len(model.ties) == len(
            model.sim.structure.practice_ties)
        dots = network.locator("g.mark-symbol.role-mark path")
        assert dots.count() == model.sim.structure.n_practices
        dots.nth(40).hover(force=True)
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=10_000)
        shown = tooltip.inner_text()
        for field in ("practice", "list size", "GPs in post", "improve clinical care", "autonomy", "morale",
                      "holistic care", "indicator care delivered", "income so far"):
            assert field in shown, field
        practice = re.search(r"practice:\s+(\d+)", shown).group(1)
        dots.nth(40).click(force=True)
        page.get_by_text(f"Inspecting practice {practice}").wait_for(timeout=10_000)
        inspector = page.locator(".pcsim-inspector").inner_text()
        size_shown = re.search(r"list size:\s+([\d,]+)", shown).group(1)
        assert f"{size_shown} patients" in inspector
        assert "Its GP posts" in page.locator("[data-panel=inspector]").inner_text()
        fills = dots.evaluate_all("paths => paths.map(p => p.getAttribute('fill'))")
        page.locator(".pcsim-measure").click()
        page.get_by_role("option", name="burnout", exact=True).click()
        page.wait_for_function("before => Array.from(document.querySelectorAll('[data-panel=network] "
                               "g.mark-symbol.role-mark path')).some((p, i) => p.getAttribute('fill') !== before[i])",
                               arg=fills, timeout=5_000)
        assert "burnout" in network.inner_text() and month(page) == 2          # no Step needed


# ---------------------------------------------------------------------- 6. charts
@pytest.mark.parametrize("size", SIZES)
def test_every_time_chart_marks_the_scheme_windows_and_morale_burnout_and_exits_are_charted(browser, server, size):
    with open_page(browser, server, size, "charts") as page:
        choose_scenario(page, ACE_DIRECTIVE)
        reset(page)
        wait_month(page, 0)
        step(page, 3)
        titles = page.locator(".pcsim-panel h3").all_inner_texts()
        assert "Morale and burnout" in titles and "GPs leaving" in titles
        for chart in charts.TIME_CHARTS:
            drawn = page.evaluate(f"document.querySelector('[data-panel={chart.key}] .pcsim-vega-plot').pcsimView"
                                  ".toSVG()")
            assert "ACE pilot" in drawn and "roll-out (directive)" in drawn, chart.key
            for label in chart.series.values():
                assert label in drawn, (chart.key, label)


# ---------------------------------------------------------------------- 7. Play
@pytest.mark.parametrize("size", SIZES)
def test_play_runs_until_paused_and_never_ahead_of_the_charts(browser, server, size):
    with open_page(browser, server, size, "play") as page:
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"{MONTH} >= 6", timeout=30_000)
        page.get_by_role("button", name="Pause").click()
        page.get_by_role("button", name="Play").wait_for(timeout=10_000)
        stopped = month(page)
        time.sleep(1.0)
        assert month(page) == stopped >= 6
        wait_drawn(page)                                   # every chart shows the month the monitors show
        expect(page.get_by_role("button", name="Step")).to_be_enabled(timeout=10_000)


@pytest.mark.slow
@pytest.mark.parametrize("size", BOTH_SIZES)
def test_play_runs_to_the_end_of_the_run_and_reset_at_once_starts_a_new_world(browser, server, size):
    with open_page(browser, server, size, "end-of-run") as page:
        drag(page, "speed", 1.1)
        wait_value(page, "speed", str(SPEEDS[1]))
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"{MONTH} === {MONTHS}", timeout=120_000, polling=20)
        reset(page)                                        # at once, as the last month arrives
        wait_month(page, 0)
        wait_drawn(page)
        expect(page.get_by_role("button", name="Play")).to_be_enabled(timeout=10_000)
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"{MONTH} === {MONTHS}", timeout=120_000, polling=50)
        page.get_by_text("The run is over").wait_for(timeout=10_000)
        expect(page.get_by_role("button", name="Step")).to_be_disabled(timeout=10_000)
        expect(page.get_by_role("button", name="Play")).to_be_disabled(timeout=10_000)
        wait_drawn(page)


# ---------------------------------------------------------------------- 8. private and offline
def test_the_server_checks_no_version_sends_no_telemetry_and_asks_no_one_else(browser, server):
    with open_page(browser, server, PROJECTOR, "offline") as page:      # open_page fails on any other host
        step(page, 1)
        page.get_by_role("tab", name="Info").click()
        page.locator(".pcsim-info").wait_for(timeout=10_000)
    log = server["log"].read_text()
    assert "pcsim viz: open http://127.0.0.1" in log
    for noise in ("New version", "upgrade", "pip install", "Traceback", "samesite"):
        assert noise not in log, log
