"""The propensity figure: Pearson correlation of each structural predictor with the
isoconfigurational propensity against t/τα, one column per system, plain
displacements above, cage-relative below; the coldest chosen temperature of a system
solid, warmer ones dashed (the panel title lists them); bands are bootstrap 1σ
intervals over the starting configurations; further replicas thinner.  Draws what it is given."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from ..atomic import atomic_path

#: legend labels of the predictors
LABELS = {
    "softness": "softness S",
    "s2_local": "local s2",
    "is_energy": "IS particle energy",
    "voronoi_volume": "Voronoi volume (IS)",
}
ROWS = (("plain", "⟨|Δr|²⟩"), ("cage", "cage-relative ⟨|Δr|²⟩"))


@dataclass(frozen=True)
class PropensityPanel:
    """One state's correlation curves: ``curves[predictor][variant]`` holds
    ``pearson`` (T,) and ``pearson_interval`` (T, 2) at ``times_tau_alpha`` (T,)."""

    delta: float
    rho: float
    T: float
    replica: int
    times_tau_alpha: list
    curves: dict


def propensity_figure(panels: list[PropensityPanel], predictors: tuple, path: Path) -> None:
    """Write the figure (PNG) to ``path``."""
    systems = sorted({(p.delta, p.rho) for p in panels})
    fig, axes = plt.subplots(
        2, len(systems), figsize=(3.2 * len(systems) + 1, 6), sharex=True, sharey=True,
        squeeze=False,
    )  # fmt: skip
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for col, (delta, rho) in enumerate(systems):
        mine = sorted((p for p in panels if (p.delta, p.rho) == (delta, rho)), key=lambda p: p.T)
        coldest = mine[0].T
        for row, (variant, what) in enumerate(ROWS):
            ax = axes[row, col]
            for panel in mine:
                t = np.asarray(panel.times_tau_alpha)
                style = "-" if panel.T == coldest else "--"
                for k, name in enumerate(predictors):
                    c = panel.curves[name][variant]
                    y, band = np.asarray(c["pearson"]), np.asarray(c["pearson_interval"])
                    colour = colours[k % len(colours)]
                    ax.semilogx(t, y, style, color=colour, lw=1.4 if panel.replica == 0 else 0.8,
                                label=LABELS.get(name, name))  # fmt: skip
                    if np.isfinite(band).all():
                        ax.fill_between(t, band[:, 0], band[:, 1], color=colour, alpha=0.15)
            ax.axhline(0.0, color="k", lw=0.6)
            ax.axvline(1.0, color="k", lw=0.6, ls=":")
            temps = ", ".join(f"{x:g}" for x in sorted({p.T for p in mine}))
            title = f"Δ = {delta:g}, ρ = {rho:g}, T = {temps}"
            ax.set_title(title if row == 0 else "", fontsize=10)
            if row == 1:
                ax.set_xlabel("t / τα")
            if col == 0:
                ax.set_ylabel(f"Pearson with {what}")
    fig.tight_layout()
    handles, labels = axes[0, 0].get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))  # one entry per predictor
    labels, handles = list(unique), list(unique.values())
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8,
               ncol=2 if len(systems) < 3 else len(predictors), frameon=False)  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
