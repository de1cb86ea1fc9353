"""Time the server's part of a month on the teaching page, at the default config: the model's month,
each panel's data computed from the engine's arrays and serialised, and Solara's render pass that
hands them to the browser's charts (the browser's own drawing is not counted here: see
benchmarks/viz_round_trip.py for the whole round trip).

    .venv/bin/python benchmarks/viz_render.py [--months 144]

The page is rendered in this process with ``solara.render``, as a browser tab would be on the server.
Target: well under the 200 ms a month that Play at 5 months a second allows for the whole round trip.
"""

from __future__ import annotations

import argparse
import statistics
import time

import solara

from pcsim.viz import page
from pcsim.viz.scenarios import MONTHS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--months", type=int, default=MONTHS, help="months to time (at most %(default)s)")
    args = parser.parse_args()
    rooms = []
    made = page.use_classroom

    def keep():
        room = made()
        rooms.append(room)
        return room

    page.use_classroom = keep                        # to drive the tab's Step from here
    solara.render(page.Page(), handle_error=False)
    room = rooms[-1]
    room.change("regime", "Micro-incentives (QOF and enhanced services)")
    room.reset()
    step_only, whole = [], []
    for _ in range(min(args.months, MONTHS)):
        model = room.world.value
        started = time.perf_counter()
        model.step()
        stepped = time.perf_counter()
        with room.lock:
            room.frame.value += 1                    # what Step does after the model's month: the render pass
        whole.append(time.perf_counter() - started)
        step_only.append(stepped - started)
    early, late = whole[: len(whole) // 2], whole[len(whole) // 2:]
    print(f"{len(whole)} months: model month median {1000 * statistics.median(step_only):.1f} ms; model month, panels' "
          f"data and render pass median {1000 * statistics.median(whole):.0f} ms (first half "
          f"{1000 * statistics.median(early):.0f} ms, second half {1000 * statistics.median(late):.0f} ms), "
          f"max {1000 * max(whole):.0f} ms")


if __name__ == "__main__":
    main()
