"""Figures of calibration, decisions and scenario discovery (drawing only; nothing here changes a number).

* :func:`implausibility_pairs`: for every pair of parameters, the minimum implausibility (lower
  triangle) and the optical depth, the share of points that are non-implausible (upper triangle),
  over a uniform sample of the space, each panel a grid of bins of the pair's projection
  (Vernon et al. 2010; Andrianakis et al. 2015); on the diagonal, each parameter's optical depth.
* :func:`waves_figure`: the space shrinking wave by wave, in share and parameter by parameter.
* :func:`validation_figure`: leave-one-out emulator validation, predicted against run means.
* :func:`acceptability_figure`, :func:`evppi_figure`: the cost-effectiveness acceptability curves
  and the expected value of partial perfect information.
* :func:`tradeoff_figure`, :func:`boxes_figure`: PRIM's coverage-density trade-off and its boxes.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from pcsim.experiments.plots import PALETTE  # noqa: E402

BINS = 16
MOST = 8                # parameters in the pairs plot


def close(fig) -> None:
    plt.close(fig)


def short(name: str) -> str:
    """A parameter's name without its section, for crowded axes."""
    return name.split(".", 1)[-1]


def implausibility_pairs(matching, bins: int = BINS, most: int = MOST):
    """Minimum-implausibility (below the diagonal) and optical-depth (above) pairs plot, of the ``most``
    parameters whose one-dimensional optical depth varies most (those the targets constrain)."""
    space = matching.space
    unit = (space[matching.names].to_numpy() - matching.bounds[:, 0]) / (matching.bounds[:, 1] - matching.bounds[:, 0])
    cell = np.minimum((unit * bins).astype(int), bins - 1)
    worst = space["implausibility"].to_numpy()
    passed = space["non_implausible"].to_numpy()
    depth = np.array([np.bincount(cell[:, j], weights=passed, minlength=bins)
                      / np.maximum(np.bincount(cell[:, j], minlength=bins), 1) for j in range(cell.shape[1])])
    keep = np.sort(np.argsort(-(depth.max(axis=1) - depth.min(axis=1)), kind="stable")[:most])
    names = [matching.names[j] for j in keep]
    cell = cell[:, keep]
    d = len(names)
    size = max(1.6, 11 / d)
    fig, axes = plt.subplots(d, d, figsize=(size * d + 1.5, size * d), squeeze=False, layout="constrained")
    cap = 2 * matching.cutoff
    imp_map, depth_map = None, None
    for i in range(d):
        for j in range(d):
            ax = axes[i, j]
            ax.set_xticks([])
            ax.set_yticks([])
            if i == j:
                depth = np.bincount(cell[:, i], weights=passed, minlength=bins) / np.maximum(
                    np.bincount(cell[:, i], minlength=bins), 1)
                ax.bar(np.arange(bins) + 0.5, depth, width=1.0, color=PALETTE[0])
                ax.set_xlim(0, bins)
                ax.set_ylim(0, 1.05)
                ax.text(0.5, 0.95, short(names[i]), transform=ax.transAxes, ha="center", va="top", fontsize=7)
                continue
            flat = cell[:, j] * bins + cell[:, i]                    # x: parameter j, y: parameter i
            if i > j:
                grid = np.full(bins * bins, np.inf)
                np.minimum.at(grid, flat, worst)
                grid = np.where(np.isinf(grid), np.nan, np.minimum(grid, cap)).reshape(bins, bins).T
                imp_map = ax.imshow(grid, origin="lower", cmap="viridis_r", vmin=0, vmax=cap, aspect="auto",
                                    extent=(0, bins, 0, bins))
            else:
                grid = (np.bincount(flat, weights=passed, minlength=bins * bins)
                        / np.maximum(np.bincount(flat, minlength=bins * bins), 1)).reshape(bins, bins).T
                depth_map = ax.imshow(grid, origin="lower", cmap="magma", vmin=0, vmax=1,
                                      aspect="auto", extent=(0, bins, 0, bins))
    for j in range(d):
        axes[-1, j].set_xlabel(short(names[j]), fontsize=7)
        axes[j, 0].set_ylabel(short(names[j]), fontsize=7)
    if imp_map is not None:
        fig.colorbar(imp_map, ax=axes[:, 0], location="left", shrink=0.5,
                     label=f"minimum implausibility (capped at {cap:g}; cutoff {matching.cutoff:g})")
    if depth_map is not None:
        fig.colorbar(depth_map, ax=axes[:, -1], location="right", shrink=0.5,
                     label="optical depth (share non-implausible)")
    shown = "" if d == len(matching.names) else f"; the {d} of {len(matching.names)} parameters most constrained"
    fig.suptitle(f"Implausibility after wave {len(matching.waves)}: minimum (below the diagonal), optical depth "
                 f"(above; diagonal: per parameter), {len(space):,} uniform points{shown}", fontsize=10)
    return fig


def waves_figure(matching, waves: pd.DataFrame, ranges: pd.DataFrame):
    """(a) share of the space non-implausible after each wave; (b) each parameter's non-implausible
    range wave by wave, as a share of its original range."""
    per_wave = waves.drop_duplicates("wave")
    names = matching.names
    fig, axes = plt.subplots(1, 2, figsize=(12, max(3.5, 0.45 * len(names) + 1.5)), layout="constrained",
                             gridspec_kw={"width_ratios": [1, 1.6]})
    draw_shares(axes[0], per_wave)
    axes[0].set_title("(a) The space left, wave by wave")
    axes[0].legend(fontsize=8)
    draw_ranges(axes[1], ranges, names)
    axes[1].set_title("(b) Each parameter's non-implausible values")
    axes[1].legend(fontsize=8, loc="lower right")
    return fig


def draw_shares(ax, per_wave: pd.DataFrame) -> None:
    """Share of the space, and of each wave's own runs, non-implausible after each wave (wave 0: all of it)."""
    waves = np.concatenate([[0], per_wave["wave"].to_numpy()])
    share = 100 * np.concatenate([[1.0], per_wave["nroy_share"].to_numpy()])
    ax.plot(waves, share, "o-", color=PALETTE[0], label="share of the space non-implausible")
    ax.plot(per_wave["wave"], 100 * per_wave["runs_non_implausible"], "s--", color=PALETTE[1],
            label="share of the wave's own runs non-implausible")
    if share.min() < 10:
        ax.set_yscale("log")
        ax.set_ylim(bottom=min(1e-2, max(share[share > 0].min(), 1e-4) / 2) if (share > 0).any() else 1e-2)
    else:
        ax.set_ylim(0, 105)
    ax.set_xlabel("wave")
    ax.set_ylabel("%")
    ax.set_xticks(waves)
    ax.grid(alpha=0.3)


def draw_ranges(ax, ranges: pd.DataFrame, names: list[str]) -> None:
    """Each parameter's non-implausible values after each wave: the middle 95% as a bar, the median as a
    tick, as shares of the parameter's original range."""
    count = ranges["wave"].nunique()
    y = np.arange(len(names))
    for k, (wave, part) in enumerate(ranges.groupby("wave")):
        part = part.set_index("parameter").loc[names]
        span = part["high"] - part["low"]
        low, mid, high = ((part[c] - part["low"]) / span for c in ("nroy_p2.5", "nroy_median", "nroy_p97.5"))
        offset = (k - (count - 1) / 2) * 0.8 / max(count, 1)
        colour = PALETTE[k % len(PALETTE)]
        ax.hlines(y + offset, low, high, color=colour, lw=3, label=f"wave {wave}")
        ax.plot(mid, y + offset, "|", color="black", ms=6)
    ax.set_yticks(y, [short(n) for n in names], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("non-implausible values (middle 95%, median), share of the range")
    ax.grid(alpha=0.3, axis="x")


def validation_figure(validation: pd.DataFrame, targets: list[str]):
    """Leave-one-out predictions against the run means, with 3-sd bars, one panel a target, last wave."""
    last = validation[validation["wave"] == validation["wave"].max()]
    fig, axes = plt.subplots(1, len(targets), figsize=(4.2 * len(targets), 4), squeeze=False, layout="constrained")
    for ax, target in zip(axes[0], targets):
        part = last[last["target"] == target]
        ax.errorbar(part["observed"], part["predicted"], yerr=3 * part["sd"], fmt="o", ms=3, color=PALETTE[0],
                    ecolor=PALETTE[5], elinewidth=0.7, alpha=0.8)
        lo = float(min(part["observed"].min(), part["predicted"].min()))
        hi = float(max(part["observed"].max(), part["predicted"].max()))
        ax.plot([lo, hi], [lo, hi], color="grey", lw=0.8)
        inside = (part["standardised_error"].abs() <= 3).mean()
        ax.set_title(f"{target}\n{100 * inside:.0f}% within 3 sd", fontsize=9)
        ax.set_xlabel("mean of the runs at a design point")
        ax.set_ylabel("emulator, left out (3 sd)")
        ax.grid(alpha=0.3)
    fig.suptitle(f"Leave-one-out validation of the emulators, wave {int(last['wave'].max())}", fontsize=10)
    return fig


def acceptability_figure(curves: pd.DataFrame, chosen: dict[str, float]):
    """Cost-effectiveness acceptability curves: the probability each policy has the highest net benefit,
    over the willingness to pay per admission avoided (a), and per unit of quality (b)."""
    axes_of = [("wtp_per_admission", "willingness to pay per emergency admission avoided (GBP)",
                f"(a) quality-year held at GBP {chosen['wtp_per_quality']:,.0f}"),
               ("wtp_per_quality", "willingness to pay per quality-year (GBP)",
                f"(b) admission avoided held at GBP {chosen['wtp_per_admission']:,.0f}")]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained", sharey=True)
    for ax, (varied, label, title) in zip(axes, axes_of):
        part = curves[curves["varied"] == varied]
        for i, (policy, rows) in enumerate(part.groupby("policy", sort=False)):
            ax.plot(rows[varied], rows["value"], color=PALETTE[i % len(PALETTE)], label=policy)
        ax.axvline(chosen[varied], color="grey", ls=":", lw=0.8)
        ax.set_xlabel(label)
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("probability of the highest net benefit")
    axes[0].legend(fontsize=8)
    fig.suptitle("Cost-effectiveness acceptability curves over the plausible parameter sets", fontsize=10)
    return fig


def evppi_figure(values: pd.DataFrame, evpi: float, decision: str):
    """EVPPI of each parameter and group, with the EVPI (the most any information is worth) as a line."""
    values = values.sort_values("evppi")
    fig, ax = plt.subplots(figsize=(8, max(3, 0.32 * len(values) + 1.5)), layout="constrained")
    colours = [PALETTE[1] if kind == "group" else PALETTE[0] for kind in values["kind"]]
    ax.barh(np.arange(len(values)), values["evppi"] / 1e3, color=colours)
    ax.set_yticks(np.arange(len(values)), values["parameter"], fontsize=7)
    ax.axvline(evpi / 1e3, color=PALETTE[3], ls="--", label=f"EVPI {evpi / 1e3:,.0f}")
    ax.set_xlabel("expected value of partial perfect information, GBP thousand (the commissioner, over the run; "
                  "orange: a section of parameters)", fontsize=8)
    ax.set_title(f"Which uncertainty is worth resolving: {decision}", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="x")
    return fig


def tradeoff_figure(trajectory: pd.DataFrame, chosen: pd.DataFrame):
    """PRIM's peeling trajectories: density against coverage, coloured by restricted dimensions, chosen
    boxes ringed."""
    fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
    points = ax.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"], cmap="viridis", s=14)
    for box, part in trajectory.groupby("box"):
        ax.plot(part["coverage"], part["density"], color="grey", lw=0.6)
    ax.scatter(chosen["coverage"], chosen["density"], s=90, facecolors="none", edgecolors=PALETTE[3], lw=1.5,
               label="chosen box")
    for _, row in chosen.iterrows():
        ax.annotate(f"box {int(row['box'])}", (row["coverage"], row["density"]), textcoords="offset points",
                    xytext=(6, 4), fontsize=8)
    fig.colorbar(points, ax=ax, label="restricted parameters")
    ax.set_xlabel("coverage (share of the cases of interest inside the box)")
    ax.set_ylabel("density (share of the box's cases that are of interest)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("PRIM: the coverage-density trade-off", fontsize=10)
    return fig


def boxes_figure(boxes: pd.DataFrame, title: str):
    """Each chosen box's limits on its restricted parameters, as shares of the parameters' ranges."""
    rows = boxes.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.4 * len(rows) + 1.5)), layout="constrained")
    y = np.arange(len(rows))
    span = rows["range_high"] - rows["range_low"]
    low = (rows["low"] - rows["range_low"]) / span
    high = (rows["high"] - rows["range_low"]) / span
    colours = [PALETTE[int(b - 1) % len(PALETTE)] for b in rows["box"]]
    ax.hlines(y, 0, 1, color="lightgrey", lw=6)
    ax.hlines(y, low, high, color=colours, lw=6)
    for yi, (_, row) in zip(y, rows.iterrows()):
        ax.text(1.01, yi, f"{row['low']:.3g} - {row['high']:.3g}", va="center", fontsize=7)
    ax.set_yticks(y, [f"box {int(b)}: {short(p)}" for b, p in zip(rows["box"], rows["parameter"])], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("share of the parameter's range (grey: all of it)")
    ax.set_title(title, fontsize=10)
    return fig


def ensemble_figure(table: pd.DataFrame, baseline: str):
    """Paired differences from the baseline over parameter sets and seeds, as a percentage of the
    baseline's mean: the mean (dot) and the 95% uncertainty interval (bar), one panel a policy."""
    others = [p for p in table["policy"].unique() if p != baseline]
    metrics = table.drop_duplicates("metric")
    shown = [m for m in metrics["metric"] if m not in ("spend_incentives", "spend_investment")]
    labels = dict(zip(metrics["metric"], metrics["label"]))
    fig, axes = plt.subplots(1, len(others), figsize=(6.5 * len(others), 8.5), sharey=True, squeeze=False,
                             layout="constrained")
    y = np.arange(len(shown))[::-1]
    base = table[table["policy"] == baseline].set_index("metric").loc[shown, "mean"].abs()
    scale = 100 / base.replace(0, np.nan)
    for i, (ax, name) in enumerate(zip(axes[0], others)):
        rows = table[table["policy"] == name].set_index("metric").loc[shown]
        ax.hlines(y, rows["difference_low"] * scale, rows["difference_high"] * scale, color=PALETTE[i % len(PALETTE)],
                  lw=2, alpha=0.6)
        ax.plot(rows["difference"] * scale, y, "o", color=PALETTE[i % len(PALETTE)])
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_title(f"{name} minus {baseline}", fontsize=11)
        ax.set_xlabel("paired difference, % of the baseline mean (95% uncertainty interval)")
        ax.grid(alpha=0.3, axis="x")
    axes[0][0].set_yticks(y, [labels[m] for m in shown])
    first = table.iloc[0]
    fig.suptitle(f"Policy comparison over {int(first['sets'])} parameter sets x {int(first['replicates'])} common "
                 f"seeds: parameter and stochastic uncertainty", fontsize=12)
    return fig


def scenario_figure(found, what: str):
    """The cases in the two most restricted parameters of the first box (or one, against the value
    judged), cases of interest in colour, the box drawn."""
    first = found.boxes[found.boxes["box"] == 1]
    fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
    interest = found.interest
    if first.empty:
        ax.text(0.5, 0.5, "the first box restricts no parameter", ha="center", transform=ax.transAxes)
        return fig
    order = first.assign(share=(first["high"] - first["low"]) / (first["range_high"] - first["range_low"]))
    order = order.sort_values("share")
    px = order.iloc[0]
    x = found.x[px["parameter"]].to_numpy(float)
    if len(order) > 1:
        py = order.iloc[1]
        y = found.x[py["parameter"]].to_numpy(float)
        ylabel, ylow, yhigh = py["parameter"], py["low"], py["high"]
    else:
        y = found.values
        ylabel, ylow, yhigh = "advantage judged (positive: of interest)", np.nanmin(y), np.nanmax(y)
    ax.scatter(x[~interest], y[~interest], s=9, color="lightgrey", label="other cases")
    ax.scatter(x[interest], y[interest], s=9, color=PALETTE[0], label="cases of interest")
    ax.add_patch(matplotlib.patches.Rectangle((px["low"], ylow), px["high"] - px["low"], yhigh - ylow, fill=False,
                                              edgecolor=PALETTE[3], lw=1.8, label="box 1"))
    ax.set_xlabel(px["parameter"])
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="best")
    ax.set_title(f"Where {what}"[:90], fontsize=9)
    return fig


def emulated_indices_figure(indices: pd.DataFrame, validation: pd.DataFrame, direct: pd.DataFrame | None = None):
    """Total Sobol indices on the emulator (with the direct estimate beside them where there is one),
    one panel an output, its emulator's Q2 in the title."""
    outputs = list(dict.fromkeys(indices["output"]))
    cols = min(3, len(outputs))
    rows = -(-len(outputs) // cols)
    names = list(dict.fromkeys(indices["parameter"]))
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, max(3.0, 0.35 * len(names)) * rows + 1.2),
                             squeeze=False, layout="constrained")
    y = np.arange(len(names))
    q2 = validation.set_index("output")["loo_q2"]
    for ax, output in zip(axes.ravel(), outputs):
        part = indices[indices["output"] == output].set_index("parameter").loc[names]
        offset = 0.2 if direct is not None else 0.0
        ax.barh(y - offset, part["ST"], height=0.4 if direct is not None else 0.7, xerr=part["ST_conf"],
                color=PALETTE[0], capsize=2, label="emulator")
        if direct is not None:
            other = direct[direct["output"] == output].set_index("parameter").reindex(names)
            ax.barh(y + offset, other["ST"], height=0.4, xerr=other["ST_conf"], color=PALETTE[1], capsize=2,
                    label="direct")
        ax.set_yticks(y, [short(n) for n in names], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(f"{output}\nemulator Q2 {q2[output]:.2f}", fontsize=8)
        ax.set_xlabel("total Sobol index ST (95% interval)")
        ax.grid(alpha=0.3, axis="x")
    for ax in axes.ravel()[len(outputs):]:
        ax.axis("off")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle(f"Sobol indices on a Gaussian-process emulator ({int(indices['training_points'].iloc[0])} training "
                 f"points)", fontsize=10)
    return fig
