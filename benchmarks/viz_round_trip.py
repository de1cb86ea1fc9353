"""Time the teaching page end to end in a real browser: ``pcsim viz`` served on this machine, Debian's
Chromium driven by Playwright at the projector's 1280x720 and at 1920x1080.

* Play: months a second the page shows, from pressing Play to month 144 (the whole twelve-year run),
  at the default speed and with the speed slider at its maximum. A month counts when the monitors
  show it; Play waits for every chart to draw a month before the next (the page's pacer), and the
  script checks at the end that every chart shows the month the monitors show.
* Step: from a click on Step to every chart showing the new month (median and 90th percentile).

    .venv/bin/python benchmarks/viz_round_trip.py [--sizes 1280x720,1920x1080] [--steps 20]

Target (issue 18): Play shows at least 5 months a second at the default speed on this 2-core machine.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from pcsim.viz.page import DEFAULT_SPEED, SPEEDS
from pcsim.viz.scenarios import MONTHS

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
MONTH = "parseInt(document.querySelector('[data-monitor=month] .pcsim-monitor-value').textContent)"
DRAWN = ("(m => Array.from(document.querySelectorAll('[data-panel] .pcsim-vega-plot')).every(p => p.pcsimView && "
         "(p.closest('[data-panel=network]') || p.closest('[data-panel=spread]') || "
         "p.pcsimView.data('months').length === m)))")


def serve():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "pcsim.cli", "viz", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("pcsim viz did not start")


def open_page(browser, url, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for(timeout=60_000)
    page.wait_for_function(f"{DRAWN}(0)", timeout=60_000)
    return page


def play(page, to_max: bool) -> tuple[float, int]:
    """Months a second from Play to the end of the run, and the speed Play was set to."""
    speed = DEFAULT_SPEED
    if to_max:                                     # the speed slider to its end, from the keyboard
        page.locator("[data-lever=speed] [role=slider]").press("End")
        page.wait_for_function(f"document.querySelector('[data-lever=speed] .pcsim-value').textContent === "
                               f"'{SPEEDS[1]}'")
        speed = SPEEDS[1]
    start_month = page.evaluate(MONTH)
    started = time.perf_counter()
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(f"{MONTH} === {MONTHS}", timeout=300_000, polling=20)
    elapsed = time.perf_counter() - started
    page.wait_for_function(f"{DRAWN}({MONTHS})", timeout=30_000)
    return (MONTHS - start_month) / elapsed, speed


def steps(page, n: int) -> list[float]:
    """Seconds from a click on Step to every chart drawn with the new month."""
    times = []
    for _ in range(n):
        month = page.evaluate(MONTH)
        started = time.perf_counter()
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(f"{MONTH} === {month + 1} && {DRAWN}({month + 1})", timeout=30_000, polling=5)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1280x720,1920x1080")
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    process, url = serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            for size in args.sizes.split(","):
                width, height = (int(v) for v in size.split("x"))
                page = open_page(browser, url, width, height)
                step_times = sorted(steps(page, args.steps))
                p90 = step_times[int(0.9 * (len(step_times) - 1))]
                print(f"{size}  Step: click to every chart drawn, median {1000 * statistics.median(step_times):.0f} ms,"
                      f" 90th percentile {1000 * p90:.0f} ms ({args.steps} steps)", flush=True)
                page.get_by_role("button", name="Reset").click()
                page.wait_for_function(f"{MONTH} === 0")
                rate, speed = play(page, to_max=False)
                print(f"{size}  Play at the default speed ({speed} a second): {rate:.1f} months a second, "
                      f"month 0 to {MONTHS}", flush=True)
                page.get_by_role("button", name="Reset").click()
                page.wait_for_function(f"{MONTH} === 0")
                rate, speed = play(page, to_max=True)
                print(f"{size}  Play at the maximum speed ({speed} a second): {rate:.1f} months a second, "
                      f"month 0 to {MONTHS}", flush=True)
                page.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
