"""The signac-free MD drivers behind the simulation operations: each takes a state point,
parameters and file paths, runs one resumable engine run and returns its record.

* :mod:`.common`: deadline, checkpoints, GSD bookkeeping, progress, engine, provenance
* :mod:`.equilibration`: the equilibration cascade (lattice start, τα-timed NVT)
* :mod:`.production`: the production trajectory
* :mod:`.inherent`: FIRE-minimized inherent structures
* :mod:`.dynamics_window`: the MSD/τα dynamics window
* :mod:`.isoconfigurational`: isoconfigurational ensembles (propensity)
"""
