"""The paper's Figures 1–6 and the results table, from the per-system analysis records
and the arrays of each system's coldest state (:class:`ColdestState`).

Every figure is written as PNG (dashboard) and PDF (papers); axes carry units in LJ
units of the A species; one colour per Δ throughout.  This module draws what it is
given: the workflow reads (and checks) the files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from .. import model
from ..analysis.validation import matched_correlation
from ..atomic import atomic_path
from ..configuration import Configuration

COLORS = {0.0: "#1b9e77", 0.1: "#d95f02", 0.2: "#7570b3", 0.3: "#e7298a", 0.4: "#66a61e"}
STRATA_CMAP = plt.get_cmap("coolwarm")


def color(delta: float) -> str:
    return COLORS.get(round(delta, 2), "k")


def arr(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def save(fig, directory: Path, name: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    for ext in ("png", "pdf"):
        with atomic_path(directory / f"{name}.{ext}", suffix=f".{ext}") as tmp:
            fig.savefig(tmp, dpi=150)
    plt.close(fig)


@dataclass(frozen=True)
class ColdestState:
    """What Figs. 1 and 4 show of a system's coldest state (its first replica).

    Attributes
    ----------
    delta, T : float
        the state (σ_AA, ε_AA/k_B).
    rdf_r, rdf_g_aa : numpy.ndarray
        g_AA(r) of its inherent structures against r (σ_AA).
    configuration : Configuration or None
        its equilibrated configuration (Fig. 1b; the first system only).
    softness, s2_local : numpy.ndarray or None
        S and local s2 (k_B) of its inherent structures, one row per
        frame and one column per A particle (Fig. 4a; the first system only).
    """

    delta: float
    T: float
    rdf_r: np.ndarray
    rdf_g_aa: np.ndarray
    configuration: Configuration | None = None
    softness: np.ndarray | None = None
    s2_local: np.ndarray | None = None


def figure1(systems: list[dict], coldest: list[ColdestState], out: Path) -> None:
    fig, ax = plt.subplots(2, 2, figsize=(9, 7.5))
    r = np.linspace(0.8, 2.6, 400)
    for s in systems:
        p = model.pair_parameters(s["delta"])["A", "A"]
        ax[0, 0].plot(
            r, model.pair_energy(r, p), color=color(s["delta"]), label=f"Δ = {s['delta']}"
        )
    ax[0, 0].set(
        xlabel="r (σ_AA)",
        ylabel="V_AA(r) (ε_AA)",
        ylim=(-1.2, 1.5),
        title="(a) pair potentials (eq. 1)",
    )
    ax[0, 0].legend(fontsize=8)
    conf = coldest[0].configuration
    slab = np.abs(conf.positions[:, 2]) < 1.0
    for t, c, size in ((0, "#3b6fb6", 30), (1, "#f28e2b", 18)):
        sel = slab & (conf.typeid == t)
        ax[0, 1].scatter(
            conf.positions[sel, 0],
            conf.positions[sel, 1],
            s=size,
            c=c,
            edgecolors="k",
            linewidths=0.3,
            label="AB"[t],
        )
    ax[0, 1].set(
        aspect="equal",
        xlabel="x (σ_AA)",
        ylabel="y (σ_AA)",
        title=f"(b) Δ = {coldest[0].delta}, T = {coldest[0].T}, |z| < 1",
    )
    ax[0, 1].legend(fontsize=8, loc="upper right")
    for c in coldest:
        ax[1, 0].plot(c.rdf_r, c.rdf_g_aa, color=color(c.delta), label=f"Δ = {c.delta}, T = {c.T}")
    ax[1, 0].set(xlabel="r (σ_AA)", ylabel="g_AA(r)", title="(c) A–A RDF, coldest states")
    ax[1, 0].legend(fontsize=7)
    for s in systems:
        per = s["per_T"]
        ax[1, 1].errorbar(
            1 / arr(per["T"]),
            arr(per["D_A"]),
            yerr=arr(per.get("D_A_error", [None] * len(per["T"]))),
            fmt="o-",
            capsize=2,
            color=color(s["delta"]),
            label=f"Δ = {s['delta']}",
        )
        onset = s.get("onset_from_D_A", {}).get("T_onset")
        if onset is not None:
            ax[1, 1].axvline(1 / onset, color=color(s["delta"]), ls=":", lw=0.8)
    ax[1, 1].set_yscale("log")
    ax[1, 1].set(
        xlabel="1/T (k_B / ε_AA)",
        ylabel="D_A (σ_AA² / τ)",
        title="(d) diffusion of A (dotted: onset from D_A)",
    )
    ax[1, 1].legend(fontsize=8)
    save(fig, out, "figure1")


def figure2(systems: list[dict], out: Path) -> None:
    fig, ax = plt.subplots(1, 2, figsize=(9, 4))
    for s in systems:
        per = s["per_T"]
        d = arr(per["D_A_reduced"])
        kw = dict(color=color(s["delta"]), label=f"Δ = {s['delta']}")
        ax[0].semilogy(arr(per["mean_S"]), d, "o-", **kw)
        ax[1].semilogy(arr(per["s2_global"]), d, "o-", **kw)
    ax[0].set(xlabel="⟨S⟩", ylabel="D*_A = ρ^{1/3} (m/kT)^{1/2} D_A", title="(a)")
    ax[1].set(xlabel="s2 (k_B per particle)", ylabel="D*_A", title="(b)")
    ax[0].legend(fontsize=8)
    save(fig, out, "figure2")


def _strata_panel(ax, system: dict, key: str, label: str) -> None:
    temps = arr(system["temperatures"])
    strata = system[key]
    pr = np.array([arr(row) for row in strata["P_R"]])
    n = pr.shape[1]
    x = np.linspace(1 / temps.max(), 1 / temps.min(), 50)
    samples = np.array([arr(row) for row in strata.get("samples", strata["P_R"])])
    with np.errstate(invalid="ignore", divide="ignore"):
        # binomial standard error of each P_R (frames are correlated: a lower bound)
        err = np.sqrt(pr * (1 - pr) / samples) if "samples" in strata else None
    for b in range(n):
        c = STRATA_CMAP(b / max(n - 1, 1))
        ax.errorbar(
            1 / temps,
            pr[:, b],
            yerr=None if err is None else err[:, b],
            fmt="o",
            capsize=2,
            color=c,
            label=f"{label} ≈ {strata['centres'][b]:.2f}",
        )
        sig, en = strata["sigma"][b], strata["energy"][b]
        if sig is not None and en is not None:
            ax.plot(x, np.exp(sig - en * x), "-", color=c, lw=1)
    ax.set_yscale("log")
    cooled = np.asarray(system["supercooled"], dtype=bool)
    if cooled.any():
        ax.axvspan(1 / temps[cooled].max(), 1 / temps.min(), color="0.9", zorder=-1)
    ax.set_ylim(top=1.5)
    flag = "" if system["supercooled_criterion_met"] else " (fit window criterion not met)"
    t_a = strata.get("T_A")
    if t_a is not None and np.isfinite(t_a):
        ax.axvline(1 / t_a, color="k", ls="--", lw=0.8)
    ax.set(
        xlabel="1/T (k_B / ε_AA)",
        ylabel="P_R",
        title=f"Δ = {system['delta']}, strata of {label}{flag}",
    )
    ax.legend(fontsize=6)


def figure3(systems: list[dict], out: Path) -> None:
    picks = [systems[0], systems[-1]] if len(systems) > 1 else [systems[0]]
    fig, ax = plt.subplots(len(picks), 2, figsize=(9, 4 * len(picks)), squeeze=False)
    for row, s in enumerate(picks):
        _strata_panel(ax[row, 0], s, "S", "S")
        _strata_panel(ax[row, 1], s, "s2", "s2")
    save(fig, out, "figure3")


def figure4(systems: list[dict], coldest: ColdestState, out: Path) -> None:
    fig, ax = plt.subplots(1, 2, figsize=(9, 4))
    ax[0].hist2d(coldest.softness.ravel(), coldest.s2_local.ravel(), bins=60, cmap="viridis")
    ax[0].set(
        xlabel="S", ylabel="local s2 (k_B)", title=f"(a) Δ = {coldest.delta}, T = {coldest.T}"
    )
    inset = ax[0].inset_axes([0.62, 0.1, 0.33, 0.3])
    rho = matched_correlation(systems)  # claim 4's ρ: one matched cold T_ref
    inset.errorbar(rho.deltas, rho.values, yerr=np.nan_to_num(rho.errors), fmt="ko-", capsize=2)
    inset.set_xlabel("Δ", fontsize=7)
    inset.set_ylabel(f"ρ(S, s2) at T_ref {rho.t_ref:g}", fontsize=7)
    inset.tick_params(labelsize=6)
    deltas = np.array([s["delta"] for s in systems])
    for key, marker, label, shift in (
        ("S", "o", "from S", -0.006),
        ("s2", "s", "from local s2", 0.006),
    ):
        t_a = arr([s[key]["T_A"] for s in systems])
        lo, hi = _interval_bars(t_a, [s[key].get("T_A_interval") for s in systems])
        ax[1].errorbar(deltas + shift, t_a, yerr=[lo, hi], fmt=marker, capsize=3, label=label)
    for key, marker, label in (
        ("onset_from_tau_alpha", "v", "onset of τα (departure)"),
        ("onset_from_D_A", "^", "onset of D_A (departure)"),
    ):
        onset = arr([s.get(key, {}).get("T_onset") for s in systems])
        if np.isfinite(onset).any():
            ax[1].plot(deltas, onset, "k" + marker, mfc="none", label=label)
    ax[1].set(xlabel="Δ", ylabel="T_A (ε_AA / k_B)", title="(b) crossover temperature")
    ax[1].legend(fontsize=8)
    save(fig, out, "figure4")


def _interval_bars(values: np.ndarray, intervals) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) error-bar lengths from [lo, hi] intervals (NaN where absent)."""
    values = np.asarray(values, dtype=float)
    lo = np.full(len(values), np.nan)
    hi = np.full(len(values), np.nan)
    for i, iv in enumerate(intervals or []):
        if iv is not None and iv[0] is not None and iv[1] is not None:
            lo[i] = max(values[i] - iv[0], 0.0)
            hi[i] = max(iv[1] - values[i], 0.0)
    return lo, hi


def figure5(systems: list[dict], out: Path) -> None:
    fig, ax = plt.subplots(1, 2, figsize=(9, 4))
    s0 = systems[0]
    g = np.array(s0["grouped_rdf"]["g"], dtype=float)
    r = arr(s0["grouped_rdf"]["r"])
    n = g.shape[0]
    for b in range(n):
        c = STRATA_CMAP(b / max(n - 1, 1))
        centre = s0["S"]["centres"][b]
        ax[0].plot(r, g[b, 0], color=c, label=f"A–A, S ≈ {centre:.2f}")
        ax[0].plot(r, g[b, 1], color=c, ls="--", lw=0.8)
    ax[0].set(
        xlabel="r (σ_AA)",
        ylabel="g(r) of inherent structures",
        title=f"(a) Δ = {s0['delta']}, T = {s0['grouped_rdf']['T']} (dashed: A–B)",
    )
    ax[0].legend(fontsize=6)
    for s in systems:
        ax[1].plot(
            arr(s["S"]["centres"]),
            arr(s["grouped_rdf"]["s2"]),
            "o-",
            color=color(s["delta"]),
            label=f"Δ = {s['delta']}",
        )
    ax[1].set(xlabel="S (stratum centre)", ylabel="s2 of the stratum (k_B)", title="(b) s2(S)")
    ax[1].legend(fontsize=8)
    save(fig, out, "figure5")


def figure6(systems: list[dict], out: Path) -> None:
    fig, ax = plt.subplots(1, 2, figsize=(9, 4))
    for s in systems:
        kw = dict(color=color(s["delta"]), label=f"Δ = {s['delta']}")
        col = s["collapse"]
        x = arr(col["s2"])
        for axis, key in ((ax[0], "entropic"), (ax[1], "energetic")):
            y = arr(col[key])
            bars = _interval_bars(y, col.get(f"{key}_interval"))
            axis.errorbar(x, y, yerr=bars, fmt="o-", capsize=2, **kw)
    ax[0].set(
        xlabel="s2 of the softness stratum (k_B)",
        ylabel="Σ / ln P_R(T_A)",
        title="(a) entropic barriers (eq. 7)",
    )
    ax[1].set(
        xlabel="s2 of the softness stratum (k_B)",
        ylabel="ΔE / (ln P_R(T_A) T_A)",
        title="(b) energetic barriers (eq. 8)",
    )
    ax[0].legend(fontsize=8)
    save(fig, out, "figure6")


def make_all_figures(systems: list[dict], coldest: list[ColdestState], out: Path) -> None:
    """Write figure1 … figure6 (.png, .pdf) into ``out``; ``coldest``: one state per
    system, in the order of ``systems``, the first with its configuration and arrays."""
    if not systems:
        raise ValueError("no per-system analysis found: run fit_arrhenius_barriers first")
    figure1(systems, coldest, out)
    figure2(systems, out)
    figure3(systems, out)
    figure4(systems, coldest[0], out)
    figure5(systems, out)
    figure6(systems, out)


def results_table(systems: list[dict], path: Path) -> list[dict]:
    """The per-system results (CSV at ``path``); returns the rows."""
    rows = []
    for s in systems:
        m = s.get("model", {})
        rows.append(
            {
                "delta": s["delta"],
                "rho": s["rho"],
                "T_A_from_S": s["S"]["T_A"],
                "T_A_from_S_error": s["S"].get("T_A_error"),
                "T_A_from_S_spread": s["S"]["T_A_spread"],
                "T_A_from_s2": s["s2"]["T_A"],
                "T_A_from_s2_error": s["s2"].get("T_A_error"),
                "T_A_from_s2_spread": s["s2"]["T_A_spread"],
                "T_onset_from_tau_alpha": s.get("onset_from_tau_alpha", {}).get("T_onset"),
                "T_onset_from_D_A": s.get("onset_from_D_A", {}).get("T_onset"),
                "fitted_T": ";".join(
                    f"{t:g}" for t, f in zip(s["temperatures"], s["supercooled"], strict=True) if f
                ),
                "T_A_window_bound": bool(s["S"].get("window_bound")),
                "log_P_R_at_T_A": s["S"].get("log_P_R_at_T_A"),
                "log_P_R_at_T_A_error": s["S"].get("log_P_R_at_T_A_error"),
                "spread_decades_S": s["S"].get("spread_decades"),
                "spread_decades_S_error": s["S"].get("spread_decades_error"),
                "spread_decades_s2": s["s2"].get("spread_decades"),
                "spread_decades_s2_error": s["s2"].get("spread_decades_error"),
                "pearson_S_s2": s["pearson_S_s2"],
                "svm_test_accuracy": m.get("test_accuracy"),
                "svm_cv_accuracy": m.get("cv_accuracy"),
                "hyperplane_cosine_min": m.get("hyperplane_cosine_min"),
                "P_S_positive_given_R_coldest": s["per_T"]["P_S_positive_given_R"][0],
                "P_R_given_S_positive_coldest": s["per_T"]["P_R_given_S_positive"][0],
                "dE_S_strata": ";".join(
                    f"{v:.4g}" if v is not None else "nan" for v in s["S"]["energy"]
                ),
                "dE_S_strata_error": ";".join(
                    f"{v:.2g}" if v is not None else "nan" for v in s["S"]["energy_error"]
                ),
                "Sigma_S_strata": ";".join(
                    f"{v:.4g}" if v is not None else "nan" for v in s["S"]["sigma"]
                ),
                "s2_of_S_strata": ";".join(f"{v:.4g}" for v in s["grouped_rdf"]["s2"]),
                "supercooled_criterion_met": s["supercooled_criterion_met"],
            }
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows
