"""Time one step of the teaching visualisation at the default config: the model's month, the four
line charts built as Vega-Lite specs and the network and histogram drawn to PNG, as Solara does after
a Step (the browser's own drawing is not counted).

    .venv/bin/python benchmarks/viz_render.py [--steps 24]

Target (issue 7): under 200 ms a step.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np

from pcsim.viz import page as viz
from pcsim.model.engine import MOTIVATIONS


def draw_all(model) -> None:
    figures = [
        viz._lines(model, {"motivation_clinical_care": "", "motivation_autonomy": "", "motivation_innovator": "",
                           "motivation_peer_judgement": "", "self_efficacy": ""}, "", "", (0, 1)),
        viz._lines(model, {"quality_incentivised_recorded": "", "quality_incentivised_delivered": "",
                           "quality_non_incentivised": "", "continuity": ""}, "", "", (0, 1)),
        viz._lines(model, {"admissions_per_1000_incentivised": "", "admissions_per_1000_other": ""}, "", ""),
        viz._lines(model, {"cumulative_spend": "", "cumulative_avoided": ""}, "", ""),
    ]
    charts, figures = figures[:4], []
    for chart in charts:
        chart.to_dict()                                        # what Solara sends the browser
    fig, ax = viz._figure(5.5, 4.6)
    sim = model.sim
    values = sim.gp_bins.mean(sim.motivation[MOTIVATIONS.index("clinical_care"), :], sim.in_post.astype(float))[0]
    ax.scatter(model.layout[:, 0], model.layout[:, 1], s=sim.structure.list_size / 120, c=values)
    figures.append(fig)
    fig, ax = viz._figure()
    ax.hist(sim.motivation[0, 0][sim.in_post[0]], bins=np.linspace(0, 1, 26))
    figures.append(fig)
    for figure in figures:
        figure.savefig(io.BytesIO(), format="png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=24)
    args = parser.parse_args()
    model = viz.TeachingModel(regime="Micro-incentives (QOF and enhanced services)")
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        model.step()
        draw_all(model)
        times.append(time.perf_counter() - start)
    print(f"{args.steps} steps: median {1000 * statistics.median(times):.0f} ms, "
          f"max {1000 * max(times):.0f} ms a step (model month, four chart specs, two PNGs)")


if __name__ == "__main__":
    main()
