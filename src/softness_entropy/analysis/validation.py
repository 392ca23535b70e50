"""The paper's claims, checked against this project's per-system results (§III).

:func:`validate` takes the per-system analysis records (``fit_arrhenius_barriers``'s
JSON, as plain dicts) and returns one row per claim: the paper's statement, the value
measured here with its uncertainty, and a verdict — ``agree``, ``disagree`` or ``not
testable`` (too few systems, temperatures or events at this scale).  The criteria are
written beside each claim; they are fixed in advance and never adjusted to the data.

Collapse measure (claim 8, Fig. 6): the fraction of the variance of y across all
systems' strata that one common straight line in s2 leaves unexplained,
U = Σ(y − ŷ)² / Σ(y − ȳ)²; U(Σ / ln P_R(T_A)) against U(Σ) measures how much the
rescaling collapses the data (0: a perfect collapse onto one line; 1: no better than
a constant), with its bootstrap interval over the systems' replicates.
"""

from __future__ import annotations

import numpy as np

from .barriers import one_sigma_interval

AGREE, DISAGREE, UNTESTABLE = "agree", "disagree", "not testable"


def unexplained_fraction(x: np.ndarray, y: np.ndarray) -> float:
    """1 − R² of the least-squares line y = a + b x (NaN pairs dropped)."""
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.ptp(y[ok]) == 0:
        return float("nan")
    coef = np.polyfit(x[ok], y[ok], 1)
    resid = y[ok] - np.polyval(coef, x[ok])
    return float(np.sum(resid**2) / np.sum((y[ok] - y[ok].mean()) ** 2))


def _arr(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _fmt(value: float, error: float | None = None, digits: int = 3) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    if error is None or not np.isfinite(error):
        return f"{value:.{digits}g}"
    return f"{value:.{digits}g} ± {error:.2g}"


def _row(number: int, claim: str, paper: str, measured: str, verdict: str, criterion: str):
    return {"claim": number, "statement": claim, "paper": paper, "measured": measured,
            "verdict": verdict, "criterion": criterion}  # fmt: skip


def arrhenius_quality(strata: dict) -> np.ndarray:
    """R² of ln P_R against 1/T per stratum over the fitted temperatures."""
    t = _arr(strata["T"])
    fitted = np.asarray(strata["fitted"], bool)
    p = np.array([_arr(row) for row in strata["P_R"]])
    out = []
    for b in range(p.shape[1]):
        ok = fitted & np.isfinite(p[:, b]) & (p[:, b] > 0)
        if ok.sum() < 3:
            out.append(np.nan)
            continue
        out.append(1.0 - unexplained_fraction(1.0 / t[ok], np.log(p[ok, b])))
    return np.array(out)


def validate(systems: list[dict]) -> list[dict]:
    """One row per claim of the paper (module docstring)."""
    rows = []
    deltas = np.array([s["delta"] for s in systems])
    n_sys = len(systems)

    # 1. Arrhenius strata below T_A (systems whose fit window met its criterion)
    usable = [s for s in systems if s["supercooled_criterion_met"]]
    left_out = [s["delta"] for s in systems if not s["supercooled_criterion_met"]]
    r2 = {name: [arrhenius_quality(s[name]) for s in usable] for name in ("S", "s2")}
    flat = {k: np.concatenate(v) if v else np.array([]) for k, v in r2.items()}
    worst = {k: np.nanmin(v) if np.isfinite(v).any() else np.nan for k, v in flat.items()}
    median = {k: np.nanmedian(v) if np.isfinite(v).any() else np.nan for k, v in flat.items()}
    testable = bool(usable) and all(np.isfinite(worst[k]) for k in worst)
    ok = testable and worst["S"] >= 0.9 and worst["s2"] >= 0.9
    rows.append(_row(
        1, "P_R is Arrhenius within softness and within local-s2 strata below T_A",
        "Figs. 3a–d: straight lines of ln P_R vs 1/T per stratum",
        f"R² of ln P_R vs 1/T per stratum: S median {_fmt(median['S'])}, worst "
        f"{_fmt(worst['S'])}; s2 median {_fmt(median['s2'])}, worst {_fmt(worst['s2'])}"
        + (f" (Δ = {left_out} left out: fewer than 3 supercooled temperatures)"
           if left_out else ""),
        (AGREE if ok else DISAGREE) if testable else UNTESTABLE,
        "every stratum R² ≥ 0.9 over the fit window (≥ 3 supercooled temperatures)",
    ))  # fmt: skip

    # 2. spread across strata at the coldest temperature
    spread = {k: _arr([s[k]["spread_decades"] for s in systems]) for k in ("S", "s2")}
    err = {k: _arr([s[k].get("spread_decades_error") for s in systems]) for k in ("S", "s2")}
    testable = bool(np.all(np.isfinite(spread["S"])) and np.all(np.isfinite(spread["s2"])))
    per = "; ".join(
        f"Δ={d}: S {_fmt(a, ea, 2)}, s2 {_fmt(b, eb, 2)}"
        for d, a, ea, b, eb in zip(deltas, spread["S"], err["S"], spread["s2"], err["s2"],
                                   strict=True)
    )  # fmt: skip
    s_ok = np.all(spread["S"] + err["S"] >= 1.5)
    s2_ok = np.all(spread["s2"] - err["s2"] <= 1.3)
    gain_ok = np.all(spread["S"] - spread["s2"] >= 0.7)
    rows.append(_row(
        2, "Spread of P_R across strata at the coldest T: ≥ about two decades with S, "
        "at most about one with local s2",
        "§III.A: 'at most an order of magnitude' (s2); S 'an additional order of "
        "magnitude or more'", f"decades of P_R_max/P_R_min: {per}",
        (AGREE if (s_ok and s2_ok and gain_ok) else DISAGREE) if testable else UNTESTABLE,
        "S ≥ 1.5 decades, s2 ≤ 1.3 decades (within 1σ), S − s2 ≥ 0.7 decades, every system",
    ))  # fmt: skip

    # 3. T_A from S and s2 agree; T_A rises with Δ
    t_s = _arr([s["S"]["T_A"] for s in systems])
    t_2 = _arr([s["s2"]["T_A"] for s in systems])
    e_s = _arr([s["S"].get("T_A_error") for s in systems])
    e_2 = _arr([s["s2"].get("T_A_error") for s in systems])
    onset = _arr([s.get("onset_from_D_A", {}).get("T_onset") for s in systems])
    onset_tau = _arr([s.get("onset_from_tau_alpha", {}).get("T_onset") for s in systems])
    bound = [bool(s["S"].get("window_bound")) or bool(s["s2"].get("window_bound"))
             for s in systems]  # fmt: skip
    testable = bool(np.all(np.isfinite(t_s)) and np.all(np.isfinite(t_2)))
    combined = np.sqrt(np.nan_to_num(e_s) ** 2 + np.nan_to_num(e_2) ** 2)
    agree = np.abs(t_s - t_2) <= 2 * np.maximum(combined, 1e-12)
    rising = n_sys >= 3 and bool(np.all(np.diff(t_s[np.argsort(deltas)]) > 0))
    per = "; ".join(
        f"Δ={d}: S {_fmt(a, ea)}, s2 {_fmt(b, eb)} (onset of τα {_fmt(ot)}, of D_A {_fmt(o)})"
        + (" (window-bound)" if wb else "")
        for d, a, ea, b, eb, ot, o, wb in zip(deltas, t_s, e_s, t_2, e_2, onset_tau, onset,
                                              bound, strict=True)
    )  # fmt: skip
    rows.append(_row(
        3, "T_A from S and from local s2 agree; T_A rises with Δ",
        "Fig. 4b: 'Good agreement is found between the estimates'", per,
        (AGREE if (np.all(agree) and rising and not any(bound)) else DISAGREE)
        if testable and n_sys >= 3 else UNTESTABLE,
        "|T_A(S) − T_A(s2)| ≤ 2σ in every system, T_A(S) increasing with Δ, no T_A "
        "bound to the fit window",
    ))  # fmt: skip

    # 4. Pearson ρ(S, s2)
    rho = _arr([s["pearson_S_s2"] for s in systems])
    order = np.argsort(deltas)
    increasing = n_sys >= 3 and float(np.corrcoef(deltas[order], rho[order])[0, 1]) > 0.5
    moderate = bool(np.all((rho > 0.3) & (rho < 0.7)))
    rows.append(_row(
        4, "ρ(S, s2) moderate, rising with Δ towards ≈ 0.5",
        "Fig. 4a inset",
        "; ".join(f"Δ={d}: {_fmt(r)}" for d, r in zip(deltas, rho, strict=True)),
        (AGREE if (moderate and increasing) else DISAGREE) if n_sys >= 3 else UNTESTABLE,
        "0.3 < ρ < 0.7 in every system and Pearson(Δ, ρ) > 0.5",
    ))  # fmt: skip

    # 5. classification accuracy, coldest and hottest temperature
    def at(s, key, index):
        values = s["per_T"].get(key)
        return float("nan") if values is None else _arr(values)[index]

    cold_sr = _arr([at(s, "P_S_positive_given_R", 0) for s in systems])
    hot_sr = _arr([at(s, "P_S_positive_given_R", -1) for s in systems])
    cold_rs = _arr([at(s, "P_R_given_S_positive", 0) for s in systems])
    hot_rs = _arr([at(s, "P_R_given_S_positive", -1) for s in systems])
    in_cold = bool(np.all((cold_sr >= 0.70) & (cold_sr <= 0.83)))
    in_hot = bool(np.all((hot_sr >= 0.37) & (hot_sr <= 0.53)))
    rows.append(_row(
        5, "Accuracy 73–80 % at the coldest T, 40–50 % at the hottest",
        "§II.B, 'measured as P(R|S > 0)'; the quoted values behave like P(S > 0 | R)",
        "P(S>0|R) coldest " + ", ".join(_fmt(v, digits=2) for v in cold_sr)
        + "; hottest " + ", ".join(_fmt(v, digits=2) for v in hot_sr)
        + " | P(R|S>0) coldest " + ", ".join(_fmt(v, digits=2) for v in cold_rs)
        + "; hottest " + ", ".join(_fmt(v, digits=2) for v in hot_rs),
        (AGREE if (in_cold and in_hot) else DISAGREE)
        if np.all(np.isfinite(cold_sr)) else UNTESTABLE,
        "P(S>0|R) within 0.70–0.83 (coldest) and 0.37–0.53 (hottest) in every system "
        "(±3 points of binomial noise)",
    ))  # fmt: skip

    # 6. softness-grouped IS RDFs insensitive to T; s2(S) monotonic
    mono, shifts = [], []
    for s in systems:
        cold = _arr(s["grouped_rdf"]["s2"])
        mono.append(bool(np.all(np.diff(cold) > 0)))
        warm = s.get("grouped_rdf_warm")
        if warm:
            shifts.append(float(np.max(np.abs(_arr(warm["s2"]) - cold)) / np.ptp(cold)))
        else:
            shifts.append(np.nan)
    shifts_arr = np.array(shifts)
    rows.append(_row(
        6, "Softness-grouped inherent-structure RDFs insensitive to T; s2(S) monotonic",
        "Fig. 5", "s2 rising with S: " + ", ".join("yes" if m else "no" for m in mono)
        + "; largest change of s2(S) from the coldest to the warmest fitted T, over the "
        "range of s2(S): " + ", ".join(_fmt(v, digits=2) for v in shifts_arr),
        (AGREE if (all(mono) and np.all(shifts_arr < 0.25)) else DISAGREE)
        if np.all(np.isfinite(shifts_arr)) else UNTESTABLE,
        "s2(S) strictly increasing in every system; change between temperatures < 25 % of "
        "its range across strata",
    ))  # fmt: skip

    # 7. D*_A vs global s2 across systems: collapse in the liquid, not below T_A
    liquid_x, liquid_y, cold_x, cold_y = [], [], [], []
    for s in systems:
        per_t = s["per_T"]
        t = _arr(per_t["T"])
        x, y = _arr(per_t["s2_global"]), np.log(_arr(per_t["D_A_reduced"]))
        onset_rec = s.get("onset_from_tau_alpha", {})
        sc = np.asarray(onset_rec.get("supercooled", [False] * len(t)), bool)
        liquid_x.extend(x[~sc])
        liquid_y.extend(y[~sc])
        cold_x.extend(x[sc])
        cold_y.extend(y[sc])
    u_liq = unexplained_fraction(liquid_x, liquid_y)
    u_cold = unexplained_fraction(cold_x, cold_y)
    rows.append(_row(
        7, "D*_A against global s2: one curve across systems in the liquid, breaking "
        "down below T_A",
        "Fig. 2b",
        f"unexplained fraction of one common line ln D*_A vs s2: liquid {_fmt(u_liq)} "
        f"({len(liquid_x)} states), supercooled {_fmt(u_cold)} ({len(cold_x)} states)",
        (AGREE if u_liq < u_cold else DISAGREE)
        if np.isfinite(u_liq) and np.isfinite(u_cold) and n_sys >= 3 else UNTESTABLE,
        "U(liquid) < U(supercooled), liquid/supercooled split at each system's τα onset",
    ))  # fmt: skip

    # 8. the barrier collapse of Fig. 6
    rows.append(collapse_row(systems))

    # 9. hyperplanes insensitive to the seeds
    cosines = _arr([s.get("model", {}).get("hyperplane_cosine_min") for s in systems])
    rows.append(_row(
        9, "The SVM hyperplanes are insensitive to the random seeds and data subsets",
        "§II.B", "smallest cosine between the hyperplanes of different seeds: "
        + "; ".join(f"Δ={d}: {_fmt(c)}" for d, c in zip(deltas, cosines, strict=True)),
        (AGREE if np.all(cosines >= 0.9) else DISAGREE)
        if np.all(np.isfinite(cosines)) else UNTESTABLE,
        "cosine ≥ 0.9 between every pair of seeds, every system",
    ))  # fmt: skip
    return rows


def collapse_measures(systems: list[dict], replicate: int | None = None) -> dict:
    """U of raw and rescaled barriers against s2 over all systems' strata; with
    ``replicate``, from that bootstrap replicate of every system."""
    xs, raw_s, raw_e, res_s, res_e = [], [], [], [], []
    for s in systems:
        strata, col = s["S"], s["collapse"]
        if not col.get("well_conditioned"):
            continue
        x = _arr(col["s2"])
        if replicate is None:
            sigma, energy = _arr(strata["sigma"]), _arr(strata["energy"])
            ent, eng = _arr(col["entropic"]), _arr(col["energetic"])
        else:
            boot = strata["bootstrap"]
            sigma, energy = _arr(boot["sigma"][replicate]), _arr(boot["energy"][replicate])
            ent, eng = _arr(boot["entropic"][replicate]), _arr(boot["energetic"][replicate])
        for store, values in zip((xs, raw_s, raw_e, res_s, res_e),
                                 (x, sigma, energy, ent, eng), strict=True):  # fmt: skip
            store.append(values)
    if len(xs) < 3:
        return {}
    x = np.concatenate(xs)
    return {
        "systems": len(xs),
        "U_entropic_raw": unexplained_fraction(x, np.concatenate(raw_s)),
        "U_entropic_rescaled": unexplained_fraction(x, np.concatenate(res_s)),
        "U_energetic_raw": unexplained_fraction(x, np.concatenate(raw_e)),
        "U_energetic_rescaled": unexplained_fraction(x, np.concatenate(res_e)),
    }


def collapse_row(systems: list[dict]) -> dict:
    """Claim 8 (module docstring): rescaled vs raw unexplained fractions."""
    point = collapse_measures(systems)
    excluded = [s["delta"] for s in systems if not s["collapse"].get("well_conditioned")]
    criterion = (
        "U(rescaled) below U(raw) beyond both 1σ intervals, for Σ and ΔE, over ≥ 3 "
        "well-conditioned systems (ln P_R(T_A) < ln 0.9)"
    )
    if not point:
        return _row(8, "Σ/ln P_R(T_A) and ΔE/(ln P_R(T_A) T_A) collapse against s2 "
                    "across systems", "Fig. 6", "fewer than 3 well-conditioned systems "
                    f"(excluded Δ: {excluded})", UNTESTABLE, criterion)  # fmt: skip
    n_boot = min(len(s["S"]["bootstrap"]["sigma"]) for s in systems
                 if s["collapse"].get("well_conditioned"))  # fmt: skip
    reps = [collapse_measures(systems, i) for i in range(n_boot)]
    ci = {k: one_sigma_interval([r[k] for r in reps]) for k in point if k.startswith("U_")}
    ok = all(ci[f"U_{k}_rescaled"][1] < ci[f"U_{k}_raw"][0] for k in ("entropic", "energetic"))
    text = "; ".join(
        f"{k}: U raw {_fmt(point[f'U_{k}_raw'])} [{_fmt(ci[f'U_{k}_raw'][0])}, "
        f"{_fmt(ci[f'U_{k}_raw'][1])}], rescaled {_fmt(point[f'U_{k}_rescaled'])} "
        f"[{_fmt(ci[f'U_{k}_rescaled'][0])}, {_fmt(ci[f'U_{k}_rescaled'][1])}]"
        for k in ("entropic", "energetic")
    )
    if excluded:
        text += f" (excluded, ill-conditioned: Δ = {excluded})"
    return _row(8, "Σ/ln P_R(T_A) and ΔE/(ln P_R(T_A) T_A) collapse against s2 across "
                "systems", "Fig. 6", text, AGREE if ok else DISAGREE, criterion)  # fmt: skip
