"""What a per-system or project-level output was made from, so that a grown data space
recomputes it instead of trusting it.

The softness model of a system, the jobs' softness values, the system analysis and the
figures each record the inputs they were made from (:func:`made_from`: the job ids and
the digests of each job's input record).  Their post-conditions hold only while those
equal the inputs of the *current* data space: add a colder temperature, a replica or a
system (``init.py`` with an extended study) and exactly the outputs that depend on the
new jobs go stale and are recomputed — the model of that system, then every softness
value of the system (the model changed), its barrier analysis, and the figures; the
other systems' results are kept.  An output without the record (written before it
existed) counts as stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .storage import document


def made_from(jobs: Iterable, record: str, docs: Iterable[dict] | None = None) -> dict[str, dict]:
    """{job id: the file digests of the job's ``record`` record} (``{}`` where the
    record has none): what an output computed from those jobs' ``record`` saw.
    ``docs``: the jobs' documents, if already read."""
    jobs = list(jobs)
    docs = list(docs) if docs is not None else [document(job) for job in jobs]
    pairs = zip(jobs, docs, strict=True)
    return {job.id: doc.get(record, {}).get("sha256", {}) for job, doc in pairs}


def file_made_from(path: Path) -> dict | None:
    """The ``made_from`` entry of a JSON output, or None if the file is missing or
    unreadable (a damaged output is recomputed, not trusted)."""
    try:
        return json.loads(path.read_text()).get("made_from")
    except (OSError, ValueError, AttributeError):
        return None
