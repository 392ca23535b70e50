"""Apply a trained softness model to your own configurations.

    python -m softness_entropy.score MODEL.npz traj.gsd [--out scores.npz] [--frames 0:10]
        [--no-minimize] [--engine auto|lammps|hoomd]

Softness is defined on inherent structures (paper §II.B: the model was trained on
FIRE-minimised frames).  Each frame of the GSD file (a cubic box, types A and B) is
checked first: a frame with non-zero velocities, or whose largest per-particle force of
the model's potential (eq. 1 at the model's Δ) exceeds twice the FIRE tolerance the
model's training set was minimised to, is not an inherent structure.  By default it is
minimised with FIRE through the project's engines (the tolerance and step budget the
model's training set was minimised with) and the scorer says so; ``--no-minimize``
refuses such a frame instead.  The check itself needs no engine (forces of eq. 1
summed in numpy, :func:`~.analysis.pair_energy.pair_forces`).  Then the structure
functions of every A particle on the model's grid, S and local s2 (η and damping width
read from the model) go to ``--out`` (``.npz``: ``softness``, ``s2_local`` of shape
(frames, N_A), ``a_index``, ``steps``, ``minimised`` per frame, ``max_force`` before).

The configuration must belong to the model's system: a number density more than 2 %
away from the model's ρ is rejected before any computation (softness is not
transferable between systems).

Python API: :func:`inherent_structures`, :func:`score_configurations`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .analysis.softness import SoftnessModel
from .configuration import Configuration
from .engines import ENGINE_CHOICES

DENSITY_TOLERANCE = 0.02
#: a stored inherent structure is accepted up to this many times the model's FIRE
#: tolerance: GSD keeps positions in float32, and the workflow's own stored minima
#: (tolerance 1e-3) show max :math:`|F|` = 0.7–1.03e-3 ε/σ when read back (18 frames of the
#: workstation run, Δ = 0–0.2, LAMMPS); its thermal frames show 140–530 ε/σ
FORCE_SLACK = 2.0


@dataclass(frozen=True)
class Minimisation:
    """What the scorer did to one frame before scoring it.

    Attributes
    ----------
    minimised : whether it was minimised with FIRE (it was not an inherent structure).
    reason : why ("" if not minimised).
    max_force_before : largest :math:`|F_i|` of the frame as given (ε_AA/σ_AA).
    fire_steps : FIRE iterations used (0 if not minimised).
    potential_energy : U per particle of the inherent structure (ε_AA).
    """

    minimised: bool
    reason: str
    max_force_before: float
    fire_steps: int
    potential_energy: float


def check_system(model: SoftnessModel, conf: Configuration, source: str) -> None:
    """ValueError unless ``conf`` is at the model's density (within 2 %)."""
    rho = model.system.get("rho")
    if rho is not None and abs(conf.density / rho - 1.0) > DENSITY_TOLERANCE:
        raise ValueError(
            f"{source}: number density {conf.density:.4g} does not match the model's system "
            f"(delta={model.system.get('delta')}, rho={rho}); use the model trained for it"
        )


def _force_tolerance(model: SoftnessModel) -> float:
    tolerance = model.scoring.get("force_tolerance")
    if tolerance is None:
        raise ValueError(
            "this model does not record the FIRE tolerance of its training set (saved by "
            "an older version): re-run train_svm to recreate it"
        )
    return float(tolerance)


def inherent_structures(
    model: SoftnessModel,
    confs: list[Configuration],
    *,
    minimize: bool = True,
    engine: str = "auto",
    sources: list[str] | None = None,
) -> tuple[list[Configuration], list[Minimisation]]:
    """The inherent structure of each configuration: the configuration itself where it
    is one (no velocities, max :math:`|F|` ≤ FORCE_SLACK × the model's FIRE tolerance), else
    its FIRE minimum (``minimize``) or a ValueError naming the frame (not ``minimize``).
    """
    from .analysis.pair_energy import energy_and_virial_pressure, pair_forces
    from .engines import create_engine
    from .engines.base import FireParameters
    from .model import Mixture

    tolerance = _force_tolerance(model)
    sources = sources or [f"frame {k}" for k in range(len(confs))]
    for conf, source in zip(confs, sources, strict=True):
        if not np.array_equal(conf.typeid, confs[0].typeid):
            raise ValueError(f"{source}: the particles' species differ from {sources[0]}")
    fire = FireParameters(
        force_tolerance=tolerance, max_steps=int(model.scoring.get("fire_max_steps", 100_000))
    )
    delta = model.system["delta"]
    mixture = Mixture.from_dict(model.scoring.get("mixture"))  # absent: Kob–Andersen
    out, report = [], []
    md = None  # the engine, started at the first frame that needs FIRE
    try:
        for conf, source in zip(confs, sources, strict=True):
            still = replace(conf, velocities=None)
            forces = pair_forces(still.box_length, still.positions, still.typeid, delta, mixture)
            max_force = float(np.linalg.norm(forces, axis=1).max())
            reasons = []
            if conf.velocities is not None and np.any(conf.velocities != 0):
                reasons.append("non-zero velocities (a thermal snapshot)")
            if max_force > FORCE_SLACK * tolerance:
                reasons.append(
                    f"max |F| = {max_force:.3g} ε/σ above {FORCE_SLACK:g} × the model's FIRE "
                    f"tolerance {tolerance:g}"
                )
            if not reasons:
                energy, _ = energy_and_virial_pressure(
                    still.box_length, still.positions, still.typeid, delta, mixture
                )
                out.append(still)
                report.append(Minimisation(False, "", max_force, 0, energy))
                continue
            reason = "; ".join(reasons)
            if not minimize:
                raise ValueError(
                    f"{source} is not an inherent structure ({reason}); softness is defined "
                    "on FIRE minima: drop --no-minimize to minimise it first"
                )
            if md is None:
                md = create_engine(engine, still, delta, dt=0.002, seed=1, mixture=mixture)
            md.set_configuration(still)
            result = md.minimize_fire(fire)
            if not result.converged:
                raise ValueError(
                    f"{source}: FIRE did not reach |F| < {tolerance:g} in {fire.max_steps} steps"
                )
            out.append(replace(md.configuration(), step=conf.step, velocities=None))
            report.append(
                Minimisation(True, reason, max_force, result.steps, result.potential_energy)
            )
    finally:
        if md is not None:
            md.close()
    return out, report


def score_configurations(
    model: SoftnessModel, confs: list[Configuration]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(softness, s2_local, a_index) of the A particles of each (inherent-structure)
    configuration, with the model's grid, η and damping (:meth:`SoftnessModel.score`)."""
    a_index = np.flatnonzero(confs[0].typeid == 0)
    soft = np.empty((len(confs), len(a_index)))
    s2 = np.empty_like(soft)
    for k, conf in enumerate(confs):
        if not np.array_equal(np.flatnonzero(conf.typeid == 0), a_index):
            raise ValueError(f"frame {k}: the A particles differ from frame 0")
        scores = model.score(conf.box_length, conf.positions, conf.typeid, a_index)
        soft[k], s2[k] = scores.softness, scores.s2_local
    return soft, s2, a_index


def summary(report: list[Minimisation], engine: str) -> str:
    """One line: how many frames were minimised, and why."""
    done = [r for r in report if r.minimised]
    if not done:
        worst = max(r.max_force_before for r in report)
        return f"all {len(report)} frames are inherent structures (max |F| ≤ {worst:.3g} ε/σ)"
    reasons = sorted({r.reason for r in done})
    return (
        f"minimised {len(done)} of {len(report)} frames with FIRE ({engine}) before scoring: "
        f"{reasons[0]}{' …' if len(reasons) > 1 else ''}; ⟨U_IS⟩ = "
        f"{np.mean([r.potential_energy for r in done]):.4f} ε per particle"
    )


def main(argv: list[str] | None = None) -> int:
    import gsd.hoomd

    from .engines import resolve_engine
    from .gsd_io import from_frame

    parser = argparse.ArgumentParser(
        prog="python -m softness_entropy.score", description=__doc__.splitlines()[0]
    )
    parser.add_argument("model", type=Path, help="a models/softness_*.npz file")
    parser.add_argument("gsd", type=Path, help="GSD file (cubic box, types A and B)")
    parser.add_argument("--out", type=Path, default=None, help="output .npz")
    parser.add_argument("--frames", default=":", help="python slice of frames, e.g. 0:100:10")
    parser.add_argument(
        "--no-minimize", action="store_true",
        help="refuse frames that are not inherent structures instead of minimising them",
    )  # fmt: skip
    parser.add_argument(
        "--engine", default="auto", choices=ENGINE_CHOICES, help="MD engine for FIRE"
    )
    args = parser.parse_args(argv)
    try:
        model = SoftnessModel.load(args.model)
        _force_tolerance(model)
        engine = args.engine if args.no_minimize else resolve_engine(args.engine)
        parts = [int(p) if p else None for p in args.frames.split(":")]
        if len(parts) > 3:
            raise ValueError(f"--frames must be a slice like 0:100:10; got {args.frames!r}")
        try:
            with gsd.hoomd.open(args.gsd, mode="r") as f:
                picks = range(len(f))[slice(*parts)]
                confs = [from_frame(f[i], f"{args.gsd}[{i}]") for i in picks]
        except (OSError, RuntimeError) as err:
            raise ValueError(f"{args.gsd}: not a readable GSD file ({err})") from None
        if not confs:
            raise ValueError(f"{args.gsd}: no frames selected")
        sources = [f"{args.gsd}[{i}]" for i in picks]
        for conf, source in zip(confs, sources, strict=True):
            check_system(model, conf, source)
        minima, report = inherent_structures(
            model, confs, minimize=not args.no_minimize, engine=engine, sources=sources
        )
        soft, s2, a_index = score_configurations(model, minima)
    except (ValueError, ImportError) as err:
        parser.error(str(err))
    out = args.out or args.gsd.with_suffix(".softness.npz")
    np.savez(out, softness=soft, s2_local=s2, a_index=a_index,
             steps=np.array([c.step for c in confs]),
             minimised=np.array([r.minimised for r in report]),
             max_force=np.array([r.max_force_before for r in report]))  # fmt: skip
    print(summary(report, engine))
    print(f"{out}: {soft.shape[0]} frames × {soft.shape[1]} A particles, ⟨S⟩ = {soft.mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
