"""Which jobs an operation works on, and how its log lines name them: the temperature
cascade of a chain, the states of a system that train its model, and the states the
propensity stage is run on.  Pure selections of signac jobs; light (``status`` imports it).
"""

from __future__ import annotations

from .parameters import DEFAULT_PARAMETERS
from .storage import document


def chain(job) -> list:
    """Jobs of the job's (Δ, ρ, replica, N) cascade, hottest first."""
    sp = job.cached_statepoint
    keys = {k: sp[k] for k in ("delta", "rho", "replica", "N")}
    return sorted(job.project.find_jobs(keys), key=lambda j: -j.cached_statepoint["T"])


def hotter(job):
    """The next-hotter job of the cascade, or None for the hottest."""
    jobs = chain(job)
    index = [j.id for j in jobs].index(job.id)
    return jobs[index - 1] if index > 0 else None


def label(job, operation: str) -> str:
    """How log lines name ``operation`` on ``job``: the state point and the job id."""
    sp = job.cached_statepoint
    return f"{operation} Δ={sp['delta']} ρ={sp['rho']} T={sp['T']} r={sp['replica']} [{job.id[:8]}]"


def training_jobs(jobs, choice: str = "below_top") -> list:
    """The jobs whose events train the system's model (parameter
    ``svm_training_temperatures``): "below_top", every temperature but the top of the
    ladder (the hottest state is a simple liquid where nearly every particle exceeds p_S,
    so its "hard" examples are rare accidents; paper §III.A); "second_coldest", that
    temperature only (the authors' code)."""
    temps = sorted({j.cached_statepoint["T"] for j in jobs})
    if choice == "second_coldest" and len(temps) > 1:
        return [j for j in jobs if j.cached_statepoint["T"] == temps[1]]
    chosen = [j for j in jobs if j.cached_statepoint["T"] < temps[-1]]
    return chosen or list(jobs)


def stored_parameters(project) -> dict:
    """The data space's run parameters with the defaults of newer ones, read from the
    document without validation (conditions and selections; every operation validates
    them)."""
    return {**DEFAULT_PARAMETERS, **document(project).get("parameters", {})}


def propensity_states(jobs) -> list:
    """The states the propensity stage runs on, sorted by (Δ, ρ, T, replica): of each
    system (Δ, ρ, N), its ``propensity_temperatures`` coldest temperatures and first
    ``propensity_replicas`` replicas (``propensity_temperatures = 0``: none)."""
    jobs = list(jobs)
    if not jobs:
        return []
    params = stored_parameters(jobs[0].project)
    n_t, n_r = params["propensity_temperatures"], params["propensity_replicas"]
    systems: dict[tuple, list] = {}
    for job in jobs:
        sp = job.cached_statepoint
        systems.setdefault((sp["delta"], sp["rho"], sp["N"]), []).append(job)
    chosen = []
    for members in systems.values():
        temps = sorted({j.cached_statepoint["T"] for j in members})[:n_t]
        reps = sorted({j.cached_statepoint["replica"] for j in members})[:n_r]
        chosen += [
            j
            for j in members
            if j.cached_statepoint["T"] in temps and j.cached_statepoint["replica"] in reps
        ]
    return sorted(chosen, key=_state_order)


def _state_order(job) -> tuple:
    sp = job.cached_statepoint
    return (sp["delta"], sp["rho"], sp["T"], sp["replica"])


def each_propensity_state(jobs) -> list[tuple]:
    """Aggregator of the per-state propensity operations: one 1-tuple per chosen state
    (its aggregate id is the job id, so ``-j ID`` selects it)."""
    return [(job,) for job in propensity_states(jobs)]


def all_propensity_states(jobs) -> list[tuple]:
    """Aggregator of ``summarize_propensity``: the chosen states together (none if the
    stage is switched off)."""
    states = propensity_states(jobs)
    return [tuple(states)] if states else []
