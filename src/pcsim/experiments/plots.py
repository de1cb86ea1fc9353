"""Figures of the CLI: the overview of a run (``overview.png``), the policy comparison, the
investment-response curve and the sensitivity indices. Drawing only: nothing here changes a number,
so the run store of ``pcsim figures`` leaves this module out of its code fingerprint."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


from pcsim.model.outputs import aggregate  # noqa: E402

# Okabe-Ito: a colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
SCHEME_SHADES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")


def overview(result):
    """A 3x3 figure of a run's main outputs over time, all commissioners together, schemes shaded."""
    data = aggregate(result.monthly)
    years = data["month"].to_numpy() / 12
    config = result.model.config
    fig, axes = plt.subplots(3, 3, figsize=(15, 11), sharex=True, layout="constrained")
    ax = axes.ravel()

    _lines(ax[0], years, data, {
        "quality_incentivised_recorded": "incentivised, recorded",
        "quality_incentivised_delivered": "incentivised, delivered",
        "quality_non_incentivised": "non-incentivised (holistic)",
        "continuity": "continuity"}, "Quality of care", "share (0-1)", ylim=(0, 1))
    _lines(ax[1], years, data, {"admissions_per_1000_incentivised": "incentivised conditions"},
           "Emergency admissions: incentivised conditions", "per 1,000 patients per month")
    _lines(ax[2], years, data, {"admissions_per_1000_other": "other conditions"},
           "Emergency admissions: other conditions", "per 1,000 patients per month")
    _lines(ax[3], years, data, {
        "motivation_clinical_care": "improve clinical care", "motivation_autonomy": "organisational autonomy",
        "motivation_innovator": "identified as innovator", "motivation_peer_judgement": "peer judgement",
        "self_efficacy": "self-efficacy"}, "GPs' motivations", "mean level (0-1)", ylim=(0, 1))
    _lines(ax[4], years, data, {"morale": "morale", "burnout": "burnout", "overload": "overload"},
           "Wellbeing and workload", "mean level (0-1)", ylim=(0, 1))
    _gps(ax[5], years, data)
    _time_use(ax[6], years, data)
    _money(ax[7], years, data)
    _innovation(ax[8], years, data)

    for a in ax:
        _shade_schemes(a, config.policy, config.months)
        a.grid(alpha=0.3)
    for a in axes[-1]:
        a.set_xlabel("years since start")
    fig.suptitle(_title(result), fontsize=13)
    _scheme_legend(fig, config.policy)
    return fig


def _title(result) -> str:
    c = result.model.config
    s = result.model.sim.structure
    return (f"pcsim run '{c.run['name']}' (seed {c.seed}, {c.months} months): {s.n_commissioners} commissioner(s), "
            f"{s.n_practices} practices, {int(s.list_size.sum()):,} patients, {s.n_gps} GP posts")


def _lines(ax, x, data, columns, title, ylabel, ylim=None):
    for i, (column, label) in enumerate(columns.items()):
        ax.plot(x, data[column], color=PALETTE[i], label=label, lw=1.8)
    ax.set_title(title, fontsize=11)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    ax.legend(fontsize=8, loc="best")


def _gps(ax, x, data):
    ax.plot(x, data["gps"], color=PALETTE[0], lw=1.8, label="GPs in post")
    ax.set_ylabel("GPs in post")
    ax.set_title("Workforce", fontsize=11)
    exits = data["gp_exits"].rolling(12, min_periods=1).sum()
    twin = ax.twinx()
    twin.plot(x, exits, color=PALETTE[3], lw=1.4, ls="--", label="GP exits, last 12 months")
    twin.set_ylabel("exits in the last 12 months", color=PALETTE[3])
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="lower left")


def _time_use(ax, x, data):
    uses = {"admin_hours_per_gp": "administration", "incentivised_hours_per_gp": "incentivised tasks",
            "holistic_hours_per_gp": "holistic care", "transformation_hours_per_gp": "transformation"}
    ax.stackplot(x, *[data[c] for c in uses], labels=list(uses.values()), colors=PALETTE[:4], alpha=0.85)
    ax.set_title("GP time beyond core consultations", fontsize=11)
    ax.set_ylabel("hours per GP per month")
    ax.legend(fontsize=8, loc="upper right")


def _money(ax, x, data):
    """12-month means, so that annual balancing payments do not hide the trend."""
    def smooth(series):
        return series.rolling(12, min_periods=1).mean() / 1e3

    ax.plot(x, smooth(data["spend_incentives"] + data["spend_investment"]), color=PALETTE[1], lw=1.8,
            label="incentive + investment spend")
    ax.plot(x, smooth(data["hospital_cost_avoided"]), color=PALETTE[2], lw=1.8, label="hospital cost avoided")
    ax.plot(x, smooth(data["net_savings"]), color=PALETTE[7], lw=1.2, ls="--", label="net savings")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_title("Commissioner money (12-month means)", fontsize=11)
    ax.set_ylabel("GBP thousand per month")
    ax.legend(fontsize=8, loc="best")


def _innovation(ax, x, data):
    for i, (column, label) in enumerate({"innovations_active": "projects live",
                                         "innovations_running": "running",
                                         "innovations_sustained": "running 6+ months"}.items()):
        ax.plot(x, data[column], color=PALETTE[i], lw=1.8, label=label)
    ax.set_ylabel("innovation projects")
    ax.set_title("Innovation and enablers", fontsize=11)
    twin = ax.twinx()
    twin.plot(x, 100 * data["enablers_share"], color=PALETTE[4], lw=1.4, ls="--", label="enablers delivered (%)")
    twin.set_ylim(0, 100)
    twin.set_ylabel("enablers delivered (% of practice-enablers)", color=PALETTE[4])
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper left")


def _shade_schemes(ax, policy, months):
    for i, scheme in enumerate(s for s in policy if s["scheme"] != "core_contract"):
        ax.axvspan(scheme["start"] / 12, min(scheme["end"] or months, months) / 12, color=SCHEME_SHADES[i % 5],
                   alpha=0.08, lw=0)
        for month in sorted(set(scheme.get("withdraw", {}).values())):
            ax.axvline(month / 12, color=SCHEME_SHADES[i % 5], ls=":", lw=1.2)


def _scheme_legend(fig, policy):
    from matplotlib.patches import Patch

    shown = [s for s in policy if s["scheme"] != "core_contract"]
    if not shown:
        fig.text(0.5, -0.01, "Policy: core contract (capitation) only - the status quo", ha="center", fontsize=10)
        return
    handles = [Patch(color=SCHEME_SHADES[i % 5], alpha=0.3, label=_scheme_label(s)) for i, s in enumerate(shown)]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), bbox_to_anchor=(0.5, -0.04), fontsize=10)





def _scheme_label(scheme) -> str:
    label = f"{scheme['scheme']}: months {scheme['start']}-{scheme['end'] or 'end'}"
    withdrawn = scheme.get("withdraw", {})
    if withdrawn:
        months = ", ".join(str(m) for m in sorted(set(withdrawn.values())))
        label += f" (dotted: {len(withdrawn)} indicators withdrawn at month {months})"
    return label


MONEY = ("spend_incentives", "spend_investment", "spend_roles", "hospital_cost", "net_savings")   # in GBP


def comparison_figure(comparison):
    """Paired differences from the baseline with 95% intervals, one column of panels a policy: care,
    admissions, motivation and the workforce as a percentage of the baseline's mean (top), money in
    GBP million over the run (bottom, since a percentage of the status quo's zero incentive spend
    means nothing). Panels of a row share their scale, so policies compare at a glance."""
    table = comparison.table
    others = [p for p in table["policy"].unique() if p != comparison.baseline]
    metrics = table.drop_duplicates("metric")
    labels = dict(zip(metrics["metric"], metrics["label"]))
    outcomes = [m for m in metrics["metric"] if m not in MONEY]
    money = [m for m in metrics["metric"] if m in MONEY]
    fig, axes = plt.subplots(2, len(others), figsize=(5.5 * len(others) + 3.5, 11), squeeze=False, sharex="row",
                             sharey="row", layout="constrained",
                             gridspec_kw={"height_ratios": [len(outcomes), len(money) + 1.5]})
    base = table[table["policy"] == comparison.baseline].set_index("metric")["mean"]
    for i, name in enumerate(others):
        rows = table[table["policy"] == name].set_index("metric")
        scale = 100 / base.loc[outcomes].abs().replace(0, np.nan)
        _forest(axes[0][i], rows.loc[outcomes], scale, PALETTE[i % len(PALETTE)])
        _forest(axes[1][i], rows.loc[money], pd.Series(1e-6, index=money), PALETTE[i % len(PALETTE)])
        axes[0][i].set_title(f"{name} minus {comparison.baseline}", fontsize=11)
        axes[0][i].set_xlabel("paired difference, % of the baseline mean (95% interval)")
        axes[1][i].set_xlabel("paired difference over the run, GBP million (95% interval)")
    undefined = [labels[m] for m in outcomes if not np.isfinite(100 / abs(base.loc[m])) or base.loc[m] == 0]
    axes[0][0].set_yticks(-np.arange(len(outcomes)), [labels[m] + (" (baseline 0: n/a)" if labels[m] in undefined
                                                                    else "") for m in outcomes])
    axes[1][0].set_yticks(-np.arange(len(money)), [labels[m] for m in money])
    n = int(table["replicates"].iloc[0])
    fig.suptitle(f"Policy comparison on {n} common seeds: each policy minus {comparison.baseline}", fontsize=13)
    return fig


def _forest(ax, rows, scale, colour) -> None:
    y = -np.arange(len(rows))
    centre = rows["difference"] * scale
    err = np.vstack([(rows["difference"] - rows["difference_low"]) * scale,
                     (rows["difference_high"] - rows["difference"]) * scale])
    ax.errorbar(centre, y, xerr=err, fmt="o", color=colour, capsize=3)
    ax.axvline(0, color="grey", lw=0.8)
    ax.grid(alpha=0.3, axis="x")


def response_figure(table, target_percent: float, budget_per_patient_year: float, london_range: tuple[float, float]):
    has_roles = "role_posts_filled_share" in table
    fig, axes = plt.subplots(2 if has_roles else 1, 1, figsize=(9, 7.5 if has_roles else 5), layout="constrained",
                             sharex=True, squeeze=False, height_ratios=[3, 1.4] if has_roles else None)
    curve = axes[0, 0]
    draw_response(curve, table, target_percent, budget_per_patient_year, london_range)
    fig.suptitle("Investment-response curve: a commissioner-wide fund against the status quo")
    handles = curve.get_legend_handles_labels()[0]
    if has_roles:
        curve.set_xlabel("")
        handles += draw_capacity_bought(axes[1, 0], table)
    fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncol=2)
    return fig


def draw_capacity_bought(ax, table) -> list:
    """Why the curve flattens: additional-role staff in post, and the share of the posts the money funds that
    are filled, at each level (final year, default parameters). Where the share falls, the labour supply
    binds and more money buys vacancies. Returns the two lines, for a legend."""
    x = table["gbp_per_patient_year"]
    staff, = ax.plot(x, table["roles_fte"], "o-", color=PALETTE[4], ms=3, label="additional-role staff in post (FTE)")
    ax.set_ylabel("staff in post (FTE)")
    ax.set_xlabel("investment, GBP per registered patient a year")
    share = ax.twinx()
    filled, = share.plot(x, 100 * table["role_posts_filled_share"], "^:", color=PALETTE[5], ms=3,
                         label="funded role posts filled (%)")
    share.set_ylim(0, 105)
    share.set_ylabel("posts filled (%)")
    ax.grid(alpha=0.3)
    return [staff, filled]


def draw_response(ax, table, target_percent: float, budget_per_patient_year: float,
                  london_range: tuple[float, float]) -> None:
    """The curve on ``ax``: mean change with its 5-95% band, the target, London's range of budget shares,
    and the share of the budget on a second x axis."""
    x = table["gbp_per_patient_year"]
    if "parameter_p5" in table:
        ax.fill_between(x, table["parameter_p5"], table["parameter_p95"], color=PALETTE[1], alpha=0.18,
                        label=f"5-95% over {int(table['parameter_sets'].iloc[0])} parameter sets and their seeds")
        ax.plot(x, table["parameter_mean"], "s--", color=PALETTE[1], lw=1, ms=3, label="mean over parameter sets")
    ax.fill_between(x, table["p5"], table["p95"], color=PALETTE[0], alpha=0.25,
                    label="5-95% over replicates, default parameters")
    ax.plot(x, table["admissions_change_percent"], "o-", color=PALETTE[0], label="mean, default parameters")
    ax.axhline(-target_percent, color=PALETTE[3], ls="--", label=f"target: {target_percent:g}% fewer admissions")
    ax.axvspan(london_range[0] * budget_per_patient_year, london_range[1] * budget_per_patient_year,
               color=PALETTE[2], alpha=0.12, label="2-5.3% of the budget (London framework)")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel("investment, GBP per registered patient a year")
    ax.set_ylabel("change in emergency admissions, final year (%)")
    top = ax.secondary_xaxis("top", functions=(lambda v: 100 * v / budget_per_patient_year,
                                               lambda s: s * budget_per_patient_year / 100))
    top.set_xlabel("share of the commissioner's budget (%)")
    ax.grid(alpha=0.3)


def sensitivity_figures(study, indices, convergence, key: str):
    """Bar charts of the main index ``key`` (S1, mu_star, ...) with intervals, one panel an output, and a
    parameter-by-output heat map, with parameters and outputs by their labels, not their code names."""
    import textwrap

    from pcsim.inputs.parameters import PARAMETERS

    output_label = study.output_label
    outputs = list(dict.fromkeys(indices["output"]))
    names = study.problem["names"]
    labels = [PARAMETERS[n].label for n in names]
    titles = {o: textwrap.fill(output_label(o), 42) for o in outputs}
    cols = min(3, len(outputs))
    rows = -(-len(outputs) // cols)
    bars, axes = plt.subplots(rows, cols, figsize=(6.5 * cols + 1, (0.32 * len(names) + 1.4) * rows + 0.8),
                              squeeze=False, sharey=True, layout="constrained")
    for ax, output in zip(axes.ravel(), outputs):
        frame = indices[indices["output"] == output].set_index("parameter").loc[names]
        ax.barh(np.arange(len(names)), frame[key], xerr=frame[f"{key}_conf"], color=PALETTE[0], capsize=2)
        ax.set_yticks(np.arange(len(names)), labels, fontsize=8)
        ax.set_title(titles[output], fontsize=9)
        ax.set_xlabel(f"{_index_name(key)} (95% interval)")
        ax.axvline(0, color="grey", lw=0.8)
        ax.grid(alpha=0.3, axis="x")
    axes[0][0].invert_yaxis()
    for ax in axes.ravel()[len(outputs):]:
        ax.axis("off")
    bars.suptitle(f"{study.method} sensitivity indices ({len(study.x)} samples x {len(study.policies)} policies)")

    heat = heat_map(indices, names, labels, [output_label(o) for o in outputs], outputs, key, study.method)

    conv = None
    if not convergence.empty:
        conv, ax = plt.subplots(figsize=(9, 5), layout="constrained")
        contrast = [o for o in outputs if " - " in o][:1] or outputs[:1]
        frame = convergence[convergence["output"] == contrast[0]]
        for i, (name, label) in enumerate(zip(names, labels)):
            part = frame[frame["parameter"] == name]
            ax.errorbar(part["samples"], part["ST"], yerr=part["ST_conf"], marker="o", capsize=2,
                        color=PALETTE[i % len(PALETTE)], ls=("-", "--", ":")[i // len(PALETTE) % 3], label=label)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("base samples N")
        ax.set_ylabel("total index ST (95% interval)")
        ax.set_title(f"Convergence: {titles[contrast[0]]}", fontsize=10)
        conv.legend(fontsize=7, loc="outside right upper")
    return bars, heat, conv


def heat_map(indices, names, labels, output_labels, outputs, key: str, method: str):
    """Parameters (rows) by outputs (columns), coloured and labelled by the main index; Morris's mu* as a
    share of each output's largest, since its units are the output's."""
    import textwrap

    grid = indices.pivot(index="parameter", columns="output", values=key).loc[names, outputs].to_numpy(float)
    if method == "morris":
        grid = grid / np.where(np.nanmax(grid, axis=0) > 0, np.nanmax(grid, axis=0), 1.0)
    columns = [textwrap.fill(label, 20) for label in output_labels]
    width = 3.2 + max(len(label) for label in labels) * 0.075 + 1.35 * len(outputs)
    height = 2.6 + 0.42 * len(names) + 0.16 * max(c.count("\n") + 1 for c in columns)
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    image = ax.imshow(grid, cmap="viridis", aspect="auto", vmin=0, vmax=max(1.0, float(np.nanmax(grid))))
    ax.set_xticks(np.arange(len(outputs)), columns, fontsize=7.5, rotation=0)
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(len(names)), labels, fontsize=8.5)
    for (i, j), value in np.ndenumerate(grid):
        if np.isfinite(value):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7.5,
                    color="white" if value < 0.6 * max(1.0, float(np.nanmax(grid))) else "black")
    what = "mu* as a share of the output's largest" if method == "morris" else _index_name(key)
    fig.colorbar(image, ax=ax, label=what, shrink=0.8)
    ax.set_title("Which uncertainties matter for which output", fontsize=11, pad=12)
    return fig


def _index_name(key: str) -> str:
    return {"ST": "total index ST", "S1": "first-order index S1", "mu_star": "Morris mu*",
            "delta": "Borgonovo delta"}.get(key, key)
