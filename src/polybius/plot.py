"""Matplotlib plots of a dyad's relations (Agg backend: files only, no display needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polybius.errors import make_error

if TYPE_CHECKING:
    from polybius.relations import RelationsResult

__all__ = ["plot_relations"]

COOPERATION_COLOUR = "#2b7bba"
CONFLICT_COLOUR = "#d7301f"


def plot_relations(result: RelationsResult, path: str | Path, *, force: bool = True) -> Path:
    """Cooperation and conflict (real events per period, both directions) and the net index.

    Writes PNG or SVG by the file's suffix; returns the path.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise make_error("E066", name="plot", value=str(path), detail="expected a .png or .svg file")
    if path.exists() and not force:
        raise make_error("E068", path=str(path))
    rows: list[dict[str, Any]] = result.direction("both")
    periods = [date.fromisoformat(r["period"]) for r in rows]
    coop = [r["cooperation"] for r in rows]
    conf = [r["conflict"] for r in rows]
    net = [r["net"] for r in rows]

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]}, layout="constrained"
    )
    if periods:
        top.plot(periods, coop, color=COOPERATION_COLOUR, marker="o", ms=3, lw=2, label="cooperation (quad 1-2)")
        top.plot(periods, conf, color=CONFLICT_COLOUR, marker="o", ms=3, lw=2, ls="--", label="conflict (quad 3-4)")
        top.fill_between(periods, coop, color=COOPERATION_COLOUR, alpha=0.12)
        top.fill_between(periods, conf, color=CONFLICT_COLOUR, alpha=0.12)
        xs = [p for p, v in zip(periods, net, strict=True) if v is not None]
        ys = [v for v in net if v is not None]
        colours = [COOPERATION_COLOUR if v >= 0 else CONFLICT_COLOUR for v in ys]
        width = max(1.0, 0.8 * (periods[1] - periods[0]).days) if len(periods) > 1 else 20
        bottom.bar(xs, ys, width=width, color=colours)
    else:
        top.text(0.5, 0.5, "no events", ha="center", va="center", transform=top.transAxes, color="#666")
    top.set_title(result.title + " — cooperation vs conflict", fontsize=13, loc="left")
    top.set_ylabel(f"real events per {result.by}")
    top.legend(loc="upper left", frameon=False)
    top.grid(alpha=0.3)
    top.set_ylim(bottom=0)
    bottom.axhline(0, color="#444", lw=0.8)
    bottom.set_ylim(-1.05, 1.05)
    bottom.set_ylabel("net index")
    bottom.set_xlabel(result.by)
    bottom.grid(alpha=0.3)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
    total = result.totals.get("both", {})
    fig.text(0.99, 0.005, f"{total.get('events', 0)} events, {total.get('mentions', 0)} mentions; "
             "net = (coop - conflict) / (coop + conflict)", ha="right", va="bottom", fontsize=8, color="#555")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
