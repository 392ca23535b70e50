"""The validation report: the paper's claims against this data space's results.

``results/validation.md`` (and ``validation.csv``) is written by ``make_figures``, the
last operation: the claims table of :func:`..analysis.validation.validate`, then how
much each open convention moves T_A, the strata spread and ln P_R(T_A) per system
(the ``sensitivity`` rows of ``fit_arrhenius_barriers``).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ..files import atomic_text
from .products import (
    ANALYSIS_DIR,
    FIGURES_DIR,
    PROPENSITY_CSV,
    RESULTS_CSV,
    VALIDATION_CSV,
    VALIDATION_MD,
)


def _num(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.{digits}g}"


def _cell(text: object) -> str:
    """A Markdown table cell: a "|" inside it (|x|, P(R|S > 0)) escaped, so that it does
    not end the cell."""
    return str(text).replace("|", "\\|")


def _pm(value, error) -> str:
    text = _num(value)
    return text if error is None or text == "n/a" else f"{text} ± {_num(error, 2)}"


def sensitivity_lines(systems: list[dict]) -> list[str]:
    """Markdown table: per system, the default analysis and each alternative."""
    lines = [
        "| Δ | convention | fitted T | T_A (S) | T_A (s2) | decades (S) | decades (s2) "
        "| ln P_R(T_A) | T_A(S) without warmest / coldest fitted T | window-bound |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in systems:
        fitted = [t for t, f in zip(s["temperatures"], s["supercooled"], strict=True) if f]
        default = {
            "convention": "**default** (" + ", ".join(f"{k}={v}" for k, v in
                                                      s["conventions"].items()) + ")",
            "fitted_T": fitted,
            **{f"{k}_{n}": s[n].get(k) for n in ("S", "s2") for k in (
                "T_A", "T_A_error", "spread_decades", "spread_decades_error",
                "log_P_R_at_T_A", "window_bound", "T_A_without_warmest",
                "T_A_without_coldest")},
        }  # fmt: skip
        for row in [default, *s.get("sensitivity", [])]:
            bound = row["window_bound_S"]
            temps = ", ".join(f"{t:g}" for t in row["fitted_T"])
            lines.append(
                f"| {s['delta']} | {_cell(row['convention'])} | {temps} "
                f"| {_pm(row['T_A_S'], row['T_A_error_S'])} "
                f"| {_pm(row['T_A_s2'], row['T_A_error_s2'])} "
                f"| {_pm(row['spread_decades_S'], row['spread_decades_error_S'])} "
                f"| {_pm(row['spread_decades_s2'], row['spread_decades_error_s2'])} "
                f"| {_num(row['log_P_R_at_T_A_S'])} "
                f"| {_num(row['T_A_without_warmest_S'])} / {_num(row['T_A_without_coldest_S'])} "
                f"| {_num(None if bound is None else bool(bound))} |"
            )
    return lines


def write_validation(systems: list[dict], rows: list[dict], root: Path) -> None:
    """The claims table (``results/validation.md``, ``results/validation.csv``) of the
    project at ``root``."""
    md = [
        "# The paper's claims, checked by this data space",
        "",
        "Written by `make_figures` (criteria fixed in "
        "`src/softness_entropy/analysis/validation.py`; ± are bootstrap 1σ).",
        "",
        "| # | claim | paper | measured here | verdict | criterion |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [_cell(r[k]) for k in ("claim", "statement", "paper", "measured")]
        md.append(f"| {' | '.join(cells)} | **{r['verdict']}** | {_cell(r['criterion'])} |")
    md += ["", "## How the open conventions move the results", "",
           *sensitivity_lines(systems), ""]  # fmt: skip
    atomic_text(root / VALIDATION_MD, "\n".join(md))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    atomic_text(root / VALIDATION_CSV, buf.getvalue())


def results_guide(root: Path, dashboard_command: str) -> str:
    """Where a finished run's products are, and the command that opens the dashboard
    (printed at the end of ``project.py run``); empty before ``make_figures`` ran."""
    root = Path(root)
    rows = [
        ("figures", f"{FIGURES_DIR}/", "Figures 1–6 of the paper (PNG, PDF)"),
        ("results table", RESULTS_CSV, "per system: T_A, barriers, D*_A(s2)…"),
        ("claims checked", VALIDATION_MD, "the paper's claims, with numbers"),
        ("propensity", PROPENSITY_CSV, "correlations with propensity"),
        ("per system", f"{ANALYSIS_DIR}/", "each system's analysis (JSON)"),
    ]
    present = [row for row in rows if (root / row[1]).exists()]
    if not (root / VALIDATION_MD).exists():
        return ""
    width = max(len(name) for name, _, _ in present)
    lines = [f"Results in {root}:"]
    lines += [f"  {name:<{width}}  {path:<22} {what}" for name, path, what in present]
    lines.append(f"Browse them: cd {root} && {dashboard_command}")
    return "\n".join(lines)
