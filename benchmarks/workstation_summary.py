"""The results page's table of per-system results (docs/results.md) from a finished data space.

    python benchmarks/workstation_summary.py reproduce

Reads the per-system analysis records (``analysis/system_*.v3.json``) and prints one
Markdown row per system: the fitted temperatures (and their reference temperatures),
T_A from S and from local s2 (window-bound flagged), the τα onset, ln P_R(T_A), the
spread of P_R across strata at the coldest temperature, ρ(S, s2) and P(S > 0 | R) at
matched reference temperatures (bootstrap ⊕ SVM-seed errors), the SVM's test accuracy
and the smallest hyperplane cosine.  With ``--claims``: the claims table instead, from
the data space's ``results/validation.csv`` (claim, measured here, verdict).  With
``--propensity``: Pearson correlations of each predictor with the plain propensity at
t ≈ τα (± half the bootstrap 1σ interval) and at their peak, from
``results/propensity.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from softness_entropy.analysis.validation import matched_correlation, state_value
from softness_entropy.workflow.products import SYSTEM_SCHEMA


def pm(value, error, digits: int = 2) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    if error is None or not np.isfinite(error):
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} ± {error:.{digits}f}"


def row(s: dict, rho: float, rho_err: float, cold: float, hot: float) -> str:
    fitted = np.asarray(s["supercooled"], bool)
    t, t_ref = np.asarray(s["temperatures"]), np.asarray(s["T_ref"])
    window = f"{t[fitted].min():g}–{t[fitted].max():g} ({t_ref[fitted].min():.2f}–" \
        f"{t_ref[fitted].max():.2f}, {fitted.sum()})"  # fmt: skip
    onset = s["onset_from_tau_alpha"]["T_onset"]
    onset_text = "—" if onset is None or not np.isfinite(onset) else \
        f"{onset:.2f} ({onset / s['reference_scale']:.2f})"  # fmt: skip
    model = s.get("model", {})
    bound = {n: " (window-bound)" if s[n].get("window_bound") else "" for n in ("S", "s2")}
    return (
        f"| {s['delta']} | {window} | {pm(s['S']['T_A'], s['S'].get('T_A_error'))}{bound['S']} "
        f"| {pm(s['s2']['T_A'], s['s2'].get('T_A_error'))}{bound['s2']} | {onset_text} "
        f"| {pm(s['S']['log_P_R_at_T_A'], s['S'].get('log_P_R_at_T_A_error'))} "
        f"| {pm(s['S']['spread_decades'], s['S'].get('spread_decades_error'))} / "
        f"{pm(s['s2']['spread_decades'], s['s2'].get('spread_decades_error'))} "
        f"| {pm(rho, rho_err, 3)} | {pm(*state_value(s, 'P_S_positive_given_R', cold))} / "
        f"{pm(*state_value(s, 'P_S_positive_given_R', hot))} "
        f"| {model.get('test_accuracy', float('nan')):.2f} "
        f"| {model.get('hyperplane_cosine_min', float('nan')):.2f} |"
    )


def claims_table(root: Path) -> None:
    """Print the results page's claims table from ``results/validation.csv``."""
    with open(root / "results" / "validation.csv", newline="") as f:
        rows = list(csv.DictReader(f))

    def cell(text: str) -> str:  # a table cell: escape the bars of P(S>0|R)
        return text.replace("|", "\\|")

    print("| # | claim | measured here (± bootstrap 1σ) | verdict |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['claim']} | {cell(r['statement'])} | {cell(r['measured'])} "
              f"| {r['verdict']} |")  # fmt: skip


PREDICTORS = {
    "softness": "softness S",
    "s2_local": "local s2",
    "is_energy": "IS particle energy",
    "voronoi_volume": "Voronoi volume",
}


def propensity_table(root: Path) -> None:
    """Print the propensity page's table (docs/propensity.md) from ``results/propensity.csv``."""
    with open(root / "results" / "propensity.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["displacement"] == "plain"]
    states = sorted({(float(r["delta"]), float(r["T"])) for r in rows})
    present = [p for p in PREDICTORS if any(r["predictor"] == p for r in rows)]
    print("| Δ | T | " + " | ".join(PREDICTORS[p] for p in present) + " |")
    print("|---|---|" + "---|" * len(present))
    for delta, temperature in states:
        cells = []
        for p in present:
            mine = [r for r in rows if (float(r["delta"]), float(r["T"])) == (delta, temperature)
                    and r["predictor"] == p]  # fmt: skip
            t = np.array([float(r["t_over_tau_alpha"]) for r in mine])
            pearson = np.array([float(r["pearson"]) for r in mine])
            half = np.array([float(r["pearson_hi"]) - float(r["pearson_lo"]) for r in mine]) / 2
            k, peak = int(np.argmin(np.abs(np.log(t)))), int(np.argmax(pearson))
            cells.append(f"{pearson[k]:.2f} ± {half[k]:.2f} ({pearson[peak]:.2f}, "
                         f"{t[peak]:.1f} τα)")  # fmt: skip
        print(f"| {delta:g} | {temperature:g} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the data space (project directory)")
    parser.add_argument("--cold", type=float, default=0.51, help="T_ref of the cold accuracy")
    parser.add_argument("--hot", type=float, default=0.64, help="T_ref of the hot accuracy")
    parser.add_argument("--claims", action="store_true", help="print the claims table")
    parser.add_argument("--propensity", action="store_true", help="print the propensity table")
    args = parser.parse_args()
    if args.propensity:
        propensity_table(args.root)
        return
    if args.claims:
        claims_table(args.root)
        return
    files = sorted((args.root / "analysis").glob(f"system_*.v{SYSTEM_SCHEMA}.json"))
    systems = sorted((json.loads(f.read_text()) for f in files), key=lambda d: d["delta"])
    rho = matched_correlation(systems)  # claim 4's: one matched cold T_ref, its errors
    print(
        f"| Δ | fitted T (T_ref, n) | T_A from S | T_A from local s2 | onset of τα (T_ref) "
        f"| ln P_R(T_A) | decades at the coldest T, S / s2 | ρ(S, s2) at T_ref {rho.t_ref:g} "
        f"| P(S>0 \\| R) at T_ref {args.cold} / {args.hot} | SVM test accuracy "
        "| min. hyperplane cosine |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for s, value, error in zip(systems, rho.values, rho.errors, strict=True):
        print(row(s, value, error, args.cold, args.hot))


if __name__ == "__main__":
    main()
