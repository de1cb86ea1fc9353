"""The house style of pcsim's paper figures: one look for every figure a paper uses.

Sizes follow common journal columns (a single column of 85 mm, a full width of
178 mm); text is 7-8 pt so that it stays readable when the figure is printed
at that width. Colours are Okabe-Ito, safe for the common forms of colour
blindness and distinct in greyscale by line style where lines overlap. Every
estimate is drawn with its interval; the caption (in the figure's manifest)
says which.

:func:`save` writes a figure as PNG (300 dpi) and PDF with the provenance in
their metadata, and with no time stamp, so the same figure gives the same bytes.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from pcsim.experiments import provenance  # noqa: E402
from pcsim.experiments.plots import PALETTE  # noqa: E402

MM = 1 / 25.4                   # inches per millimetre
COLUMN = 85 * MM                # one journal column
FULL = 178 * MM                 # the full text width
DPI = 300
LINE_STYLES = ("-", "--", "-.", ":")

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.titlesize": 8,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 7.5,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 6.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "grid.linewidth": 0.5,
    "lines.linewidth": 1.3,
    "lines.markersize": 3.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "pdf.fonttype": 42,         # TrueType in the PDF: text stays editable, as journals ask
    "svg.hashsalt": "pcsim",
}


@contextlib.contextmanager
def paper():
    """Draw figures in the house style (a context, so it leaves other figures alone)."""
    with plt.rc_context(RC):
        yield


def figure(rows: int, cols: int, height_mm: float, width: float = FULL, **options):
    """A figure of ``rows`` x ``cols`` panels, ``width`` inches wide (:data:`FULL` or :data:`COLUMN`)."""
    return plt.subplots(rows, cols, figsize=(width, height_mm * MM), layout="constrained", **options)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def band(ax, x, mean, low, high, i: int, label: str, style: str | None = None) -> None:
    """A mean line with its interval shaded, in colour ``i``."""
    ax.fill_between(x, low, high, color=colour(i), alpha=0.2, lw=0)
    ax.plot(x, mean, color=colour(i), ls=style or LINE_STYLES[0], label=label)


def panel_label(ax, letter: str, title: str) -> None:
    """A panel's letter and title, left-aligned above it: "(a) Indicators still paid"."""
    ax.set_title(f"({letter}) {title}")


def save(fig, stem: Path, title: str, provenance_line: str) -> list[Path]:
    """Write ``stem``.png and ``stem``.pdf atomically, with the provenance in their metadata."""
    png, pdf = stem.with_suffix(".png"), stem.with_suffix(".pdf")
    provenance.write_atomic(png, lambda tmp: fig.savefig(
        tmp, format="png", dpi=DPI, metadata={"Title": title, "Description": provenance_line, "Software": "pcsim"}))
    provenance.write_atomic(pdf, lambda tmp: fig.savefig(
        tmp, format="pdf", metadata={"Title": title, "Subject": provenance_line, "Creator": "pcsim figures",
                                     "Producer": "matplotlib", "CreationDate": None}))
    plt.close(fig)
    return [png, pdf]
