"""Softness and pair excess entropy of expanded-LJ Kob–Andersen glass formers.

A reproduction of Graham, Arratia & Riggleman, "Exploring the relationship between
softness and excess entropy in glass-forming systems", as a signac-flow workflow.

Subpackages
-----------
engines
    One MD interface, two implementations (HOOMD-blue, LAMMPS), found through one registry.
runs
    The signac-free MD drivers: equilibration, production, inherent structures, the
    dynamics window, isoconfigurational ensembles (resumable).
analysis
    Pure functions, arrays in and arrays out (the barrier analysis of a system included).
plotting
    Figures 1–6 and the per-job plots: draws what it is given.
workflow
    The signac/signac-flow glue: the table of products, the pipeline, the operations.
"""

__version__ = "0.1.0"
