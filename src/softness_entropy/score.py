"""Apply a trained softness model to your own configurations.

    python -m softness_entropy.score MODEL.npz traj.gsd [--out scores.npz] [--frames 0:10]

For every frame of the GSD file (a cubic box with types A and B), computes the
structure functions of every A particle on the model's grid and writes softness S,
local s2 and the particle indices to ``--out`` (``.npz``: ``softness``, ``s2_local``
of shape (frames, N_A), ``a_index``, ``steps``).  The configuration must belong to the
model's system: a number density more than 2 % away from the model's ρ is rejected
before any computation (softness is not transferable between systems).

Python API: :func:`score_configurations`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .analysis.softness import SoftnessModel
from .analysis.structure import local_densities, local_s2, structure_functions
from .configuration import Configuration

DENSITY_TOLERANCE = 0.02


def check_system(model: SoftnessModel, conf: Configuration, source: str) -> None:
    """ValueError unless ``conf`` is at the model's density (within 2 %)."""
    rho = model.system.get("rho")
    if rho is not None and abs(conf.density / rho - 1.0) > DENSITY_TOLERANCE:
        raise ValueError(
            f"{source}: number density {conf.density:.4g} does not match the model's system "
            f"(delta={model.system.get('delta')}, rho={rho}); use the model trained for it"
        )


def score_configurations(
    model: SoftnessModel, confs: list[Configuration], eta: float = 2.0, damping: float = 0.1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(softness, s2_local, a_index) of the A particles of each configuration."""
    a_index = np.flatnonzero(confs[0].typeid == 0)
    soft = np.empty((len(confs), len(a_index)))
    s2 = np.empty_like(soft)
    for k, conf in enumerate(confs):
        if not np.array_equal(np.flatnonzero(conf.typeid == 0), a_index):
            raise ValueError(f"frame {k}: the A particles differ from frame 0")
        G, counts = structure_functions(
            conf.box_length, conf.positions, conf.typeid, a_index, model.grid
        )
        soft[k] = model.softness(G.reshape(len(a_index), -1))
        s2[k] = local_s2(G, local_densities(counts), model.grid, eta, damping)
    return soft, s2, a_index


def main(argv: list[str] | None = None) -> int:
    import gsd.hoomd

    from .gsd_io import from_frame

    parser = argparse.ArgumentParser(
        prog="python -m softness_entropy.score", description=__doc__.splitlines()[0]
    )
    parser.add_argument("model", type=Path, help="a models/softness_*.npz file")
    parser.add_argument("gsd", type=Path, help="GSD file (cubic box, types A and B)")
    parser.add_argument("--out", type=Path, default=None, help="output .npz")
    parser.add_argument("--frames", default=":", help="python slice of frames, e.g. 0:100:10")
    args = parser.parse_args(argv)
    try:
        model = SoftnessModel.load(args.model)
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
        for i, conf in zip(picks, confs, strict=True):
            check_system(model, conf, f"{args.gsd}[{i}]")
        soft, s2, a_index = score_configurations(model, confs)
    except ValueError as err:
        parser.error(str(err))
    out = args.out or args.gsd.with_suffix(".softness.npz")
    np.savez(out, softness=soft, s2_local=s2, a_index=a_index,
             steps=np.array([c.step for c in confs]))  # fmt: skip
    print(f"{out}: {soft.shape[0]} frames × {soft.shape[1]} A particles, ⟨S⟩ = {soft.mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
