"""The per-system barrier operation (paper §III): ``fit_arrhenius_barriers`` reads each
state of a system (its records and, through readers, its per-particle arrays) and hands
them to :func:`softness_entropy.analysis.system.analyse_system`, whose record it writes
to ``analysis/system_delta<Δ>_rho<ρ>.v<schema>.json`` with what it was made from.
"""

from __future__ import annotations

from functools import partial

from .parameters import CONVENTIONS, reference_scale
from .parameters import job_parameters as parameters
from .pipeline import stage
from .products import INHERENT, PHOP, SOFTNESS, SYSTEM_SCHEMA, system_file
from .provenance import made_from
from .storage import read_record


def rearrangement_rows(job, p_soft: float) -> dict:
    """Per phop label ("centre", "start"): S and local s2 of the A particles at the
    labelled frames, and whether each is rearranging (phop > p_S), (rows × A) arrays."""
    import numpy as np

    from ..analysis.events import label_offset
    from ..files import read_h5

    data = read_h5(SOFTNESS.fn(job), SOFTNESS.writer)
    phop = read_h5(PHOP.fn(job), PHOP.writer)
    rows = np.arange(len(phop["phop"]))
    h = int(phop["attrs/half_window"])
    rearranging = phop["phop"] > p_soft
    out = {}
    for name in ("centre", "start"):
        frames = rows + label_offset(name, h)
        out[name] = (data["softness"][frames], data["s2_local"][frames], rearranging)
    return out


def strata_frames(job, count: int) -> list:
    """Up to ``count`` inherent structures of ``job``, evenly spread over its window:
    ((box length, positions, typeid), the A particles' softness, their indices)."""
    import gsd.hoomd
    import numpy as np

    from ..files import read_h5
    from ..gsd_io import from_frame

    data = read_h5(SOFTNESS.fn(job), SOFTNESS.writer)
    out = []
    with gsd.hoomd.open(INHERENT.fn(job), mode="r") as inh:
        picks = np.unique(np.linspace(0, len(inh) - 1, min(count, len(inh))).astype(int))
        for k in picks:
            conf = from_frame(inh[int(k)])
            out.append(((conf.box_length, conf.positions, conf.typeid), data["softness"][k],
                        data["a_index"]))  # fmt: skip
    return out


def state_input(job, params: dict):
    """The :class:`~softness_entropy.analysis.system.StateInput` of ``job``."""
    from ..analysis.system import DYNAMICS_FIELDS, SOFTNESS_FIELDS, StateInput

    sp = job.cached_statepoint
    return StateInput(
        id=job.id,
        T=sp["T"],
        replica=sp["replica"],
        dynamics=read_record(job, "dynamics", "dynamics", DYNAMICS_FIELDS),
        softness=read_record(job, SOFTNESS.record, SOFTNESS.writer, SOFTNESS_FIELDS),
        rows=partial(rearrangement_rows, job, params["p_soft"]),
        strata_frames=partial(strata_frames, job),
    )


@stage
def fit_arrhenius_barriers(*jobs):
    """Strata of S and local s2, P_R(T), Arrhenius barriers, T_A, the collapse, with
    bootstrap intervals, and their sensitivity to the open conventions (paper §III)."""
    from ..analysis.system import Conventions, analyse_system
    from ..files import atomic_json
    from .retrained import RETRAINED, retrained_strata

    params = parameters(jobs[0])
    sp0 = jobs[0].cached_statepoint
    retrain = None
    if params["sensitivity_retrain"] == "yes":
        retrain = partial(retrained_strata, jobs)
    analysis = analyse_system(
        [state_input(job, params) for job in jobs],
        params,
        scale=reference_scale(jobs[0].project, sp0["delta"], sp0["rho"]),
        seed=round(1000 * sp0["delta"]),
        conventions=Conventions(CONVENTIONS, RETRAINED, retrain),
    )
    record = {
        "schema": SYSTEM_SCHEMA,
        "delta": sp0["delta"],
        "rho": sp0["rho"],
        "jobs": sorted(j.id for j in jobs),
        "made_from": made_from(jobs, SOFTNESS.record),
        **analysis,
        "model": read_record(jobs[0], "softness_model", "train_svm"),
    }
    path = system_file(jobs[0])
    path.parent.mkdir(exist_ok=True)
    atomic_json(path, record)
