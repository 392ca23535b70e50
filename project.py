"""The workflow's table of contents: its operations, in pipeline order (paper §II–III).

    python project.py status          # what is done, what is eligible
    python project.py run             # run everything eligible on this machine
    python project.py submit          # submit to a cluster scheduler (SLURM)

Each stage is declared once in ``softness_entropy.workflow.pipeline`` (its files, its
conditions, which jobs it is for); the operations below read their inputs, call one
function of ``softness_entropy.runs`` (MD) or ``softness_entropy.analysis``, and write
their products.  Heavy dependencies (engines, freud, scikit-learn, matplotlib) are
imported inside the operations, so ``status`` stays instant.
"""

# ruff: noqa: I001 - the imports are the pipeline, in order (not alphabetical)
import logging

from softness_entropy.workflow.environments import (  # noqa: F401 - registering them
    LocalEnvironment,
    SlurmGpuEnvironment,
)
from softness_entropy.workflow.flowproject import Project
from softness_entropy.workflow.simulation import (  # noqa: F401 - §II.A, MD (runs/)
    equilibrate,  # the hottest rung of each chain, from a melted lattice
    quench,  # each colder rung from the next-hotter one
    dynamics,  # the dynamics window: D_A, τα
    production,  # the inherent-structure window's trajectory
    fire_minimize,  # inherent structures
)
from softness_entropy.workflow.rearrangements import (  # noqa: F401 - §II.B
    compute_phop,  # phop (eq. 2) and the soft/hard training events
)
from softness_entropy.workflow.softness import (  # noqa: F401 - §II.B–C
    build_structure_functions,  # G(μ) (eq. 3) of the training events
    train_svm,  # one softness model per system
    compute_softness_and_s2,  # S and s2 (eqs. 4–6) of every A particle and frame
)
from softness_entropy.workflow.barriers import (  # noqa: F401 - §III
    fit_arrhenius_barriers,  # P_R(S), barriers, T_A, s2(S) per system
)
from softness_entropy.workflow.figures import (  # noqa: F401 - Figs. 1–6
    make_figures,  # Figures 1–6, results and the claims table
)
from softness_entropy.workflow.propensity import (  # noqa: F401 - §III.A
    isoconfigurational_ensemble,  # fresh-velocity trajectories of chosen states
    score_propensity,  # predictors against the propensity
    summarize_propensity,  # the propensity table and figure
)

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("gsd").setLevel(logging.WARNING)
    Project().main()
