"""Softness and pair excess entropy of expanded-LJ Kob–Andersen glass formers.

A reproduction of Graham, Arratia & Riggleman, "Exploring the relationship between
softness and excess entropy in glass-forming systems", as a signac-flow workflow.

Subpackages
-----------
engines : one MD interface, two implementations (HOOMD-blue, LAMMPS).
analysis : pure functions, arrays in and arrays out.
workflow : signac/signac-flow glue (profiles, operations).
"""

__version__ = "0.1.0"
