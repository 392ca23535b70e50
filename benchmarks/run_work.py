"""The work a finished data space cost, per stage, from its job documents.

    python benchmarks/run_work.py [ROOT ...] [--json OUT]

For each stage of the MD chain: particle-force evaluations (steps × N: a measure of
work that does not depend on the machine's speed, which drifts here by up to 2.5×
between runs) and the operations' own wall seconds (each runs on one core, so these
are its CPU seconds).  Counted:

* equilibration cascade: the melt (``melt_time``/dt at the top of each chain) and every
  rung's equilibration steps;
* dynamics windows: their time / dt;
* production (the inherent-structure window): (frames − 1) × steps per frame;
* FIRE inherent structures: frames × mean FIRE iterations per frame (one force
  evaluation each);
* isoconfigurational ensembles: the record's ``particle_steps``.

Several roots are printed side by side (e.g. before and after a change).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import signac

STAGES = ("equilibration", "dynamics", "production", "inherent_structures", "isoconfigurational")
LABELS = {
    "equilibration": "equilibration cascade",
    "dynamics": "dynamics windows",
    "production": "production",
    "inherent_structures": "FIRE inherent structures",
    "isoconfigurational": "isoconfigurational ensembles",
}


def job_work(doc: dict, n: int, params: dict) -> dict[str, tuple[float, float]]:
    """{stage: (particle-force evaluations, wall seconds)} of one job's records."""
    dt = params["dt"]
    out: dict[str, tuple[float, float]] = {}
    if rec := doc.get("equilibration"):
        steps = rec["steps"] + (round(params["melt_time"] / dt) if rec.get("melted") else 0)
        out["equilibration"] = (steps * n, rec["wall_seconds"])
    if rec := doc.get("dynamics_window"):
        out["dynamics"] = (round(rec["time"] / rec["dt"]) * n, rec["wall_seconds"])
    if rec := doc.get("production"):
        out["production"] = ((rec["frames"] - 1) * rec["frame_steps"] * n, rec["wall_seconds"])
    if rec := doc.get("inherent_structures"):
        out["inherent_structures"] = (
            rec["frames"] * rec["fire_steps_mean"] * n,
            rec["wall_seconds"],
        )
    if rec := doc.get("isoconfigurational"):
        out["isoconfigurational"] = (rec["particle_steps"], rec["wall_seconds"])
    return out


def data_space_work(root: Path) -> dict:
    project = signac.get_project(root)
    params = dict(project.doc["parameters"])
    totals = {stage: [0.0, 0.0] for stage in STAGES}
    jobs = 0
    for job in project:
        jobs += 1
        for stage, (work, wall) in job_work(
            dict(job.doc), job.cached_statepoint["N"], params
        ).items():
            totals[stage][0] += work
            totals[stage][1] += wall
    work = sum(w for w, _ in totals.values())
    wall = sum(s for _, s in totals.values())
    return {
        "root": str(root),
        "jobs": jobs,
        "stages": {k: {"force_evaluations": w, "seconds": s} for k, (w, s) in totals.items()},
        "force_evaluations": work,
        "seconds": wall,
    }


def table(results: list[dict]) -> str:
    head = "| stage | " + " | ".join(
        f"{Path(r['root']).name}: evaluations | CPU-s" for r in results
    )
    lines = [head + " |", "|---|" + "---|---|" * len(results)]
    for stage in STAGES:
        cells = []
        for r in results:
            s = r["stages"][stage]
            cells += [f"{s['force_evaluations']:.3g}", f"{s['seconds']:.0f}"]
        lines.append(f"| {LABELS[stage]} | " + " | ".join(cells) + " |")
    total = []
    for r in results:
        total += [f"**{r['force_evaluations']:.3g}**", f"**{r['seconds']:.0f}**"]
    lines.append("| **total** | " + " | ".join(total) + " |")
    if len(results) == 2:
        a, b = results
        lines.append(
            f"\nratio {Path(b['root']).name} / {Path(a['root']).name}: work "
            f"{b['force_evaluations'] / a['force_evaluations']:.3f}, operation CPU-s "
            f"{b['seconds'] / a['seconds']:.3f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", type=Path, default=[Path(".")])
    parser.add_argument("--json", type=Path, help="write the numbers here")
    args = parser.parse_args()
    results = [data_space_work(root.resolve()) for root in args.roots]
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
