"""The rearrangement operation (paper §II.B): ``compute_phop``, phop (eq. 2) of every A
particle on the inherent-structure trajectory and the soft/hard training events.
``phop.h5`` holds ``phop`` (frames × A particles, float32, σ²), ``frames`` (the trajectory
frame of each row), ``a_index`` (the particle index of each column), ``soft/frames``,
``soft/particles``, ``hard/frames``, ``hard/particles`` (trajectory frame and particle
index of each event); counts in ``job.doc["phop"]``.
"""

from __future__ import annotations

from .parameters import job_parameters as parameters
from .parameters import separations_in_frames
from .pipeline import stage
from .products import INHERENT, PHOP
from .storage import digests, set_record


@stage
def compute_phop(job):
    """phop (eq. 2, t_R = 10 τ) on the inherent structures and the soft/hard events."""
    import numpy as np

    from ..analysis.events import rearrangement_events
    from ..analysis.phop import half_window
    from ..files import atomic_h5
    from ..gsd_io import read_trajectory

    params = parameters(job)
    inherent = read_trajectory(INHERENT.fn(job))
    found = rearrangement_events(
        inherent.positions, np.flatnonzero(inherent.first.typeid == 0),
        half_window(params["t_r"], params["frame_interval"]), params["phop_label"],
        params["training_events"], params["p_soft"], params["p_hard"],
        separations_in_frames(params),
    )  # fmt: skip
    atomic_h5(
        PHOP.fn(job),
        {
            "phop": found.phop.astype(np.float32),
            "frames": found.frames,
            "a_index": found.a_index,
            "soft/frames": found.soft.frames,
            "soft/particles": found.soft.particles,
            "hard/frames": found.hard.frames,
            "hard/particles": found.hard.particles,
        },
        attrs={
            "half_window": found.half_window,
            "label_offset": found.offset,
            "t_r": params["t_r"],
            "units": "sigma_AA^2",
        },
    )
    set_record(
        job,
        PHOP.record,
        {
            "half_window": found.half_window,
            "label": params["phop_label"],
            "training_events": params["training_events"],
            "frames": int(found.phop.shape[0]),
            "n_soft": len(found.soft),
            "n_hard": len(found.hard),
            "fraction_above_p_soft": float((found.phop > params["p_soft"]).mean()),
            "mean": float(found.phop.mean()),
            "sha256": digests(job, PHOP.file),
        },
    )
