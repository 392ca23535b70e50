"""The workflow: operations and their conditions, nothing else.

    python project.py status          # what is done, what is eligible
    python project.py run             # run everything eligible on this machine
    python project.py submit          # submit to a cluster scheduler (SLURM)

Operations live in src/softness_entropy/workflow/ (one module per stage); each imports
its heavy dependencies (engines, freud, sklearn, matplotlib) inside the operation, so
`status` stays instant.
"""

import logging

from softness_entropy.workflow import (  # noqa: F401 - registering the operations
    project_analysis,
    propensity,
    rearrangements,
    simulation,
    softness,
)
from softness_entropy.workflow.environments import (  # noqa: F401 - registering them
    LocalEnvironment,
    SlurmGpuEnvironment,
)
from softness_entropy.workflow.flowproject import Project

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("gsd").setLevel(logging.WARNING)
    Project().main()
