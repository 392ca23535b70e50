"""The FlowProject class every stage module registers its operations on.

Kept in its own module so stage modules can import it without importing each other.
Its one addition to signac-flow is how a failed operation is reported: signac-flow
wraps every error in ``UserOperationError`` / ``UserConditionError`` and prints the
chained tracebacks, so the user's last line says only *that* something failed.  Here
the last line is the error itself (it names the file or value and the fix); ``--debug``
shows the full traceback.  Documents are checked before anything else.

signac-flow looks for a ``templates`` directory beside every module that defines an
environment and warns, on every command, when there is none; ours live in the
project's ``templates/`` (where flow also looks), so that one warning is filtered.
"""

import logging
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from flow import FlowProject, IgnoreConditions
from flow.errors import UserConditionError, UserOperationError

log = logging.getLogger(__name__)


class _NoPackageTemplateWarning(logging.Filter):
    """Drop flow's "Unable to load template from package" for *this* package."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            message.startswith("Unable to load template from package") and __package__ in message
        )


logging.getLogger("flow.project").addFilter(_NoPackageTemplateWarning())


class Project(FlowProject):
    """The softness / excess-entropy workflow (operations: see ``project.py``)."""

    #: operation name → its :class:`~.pipeline.Stage` (filled by :func:`~.pipeline.stage`)
    stages: ClassVar[dict[str, Any]] = {}

    def condition_memo(self, key: Any, stamps: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, kept on this project instance under ``key`` while ``stamps``
        (what the answer depends on, e.g. file stamps) are unchanged: a condition every
        job of a system asks is answered once per change, and the memo ends with the
        command."""
        memo = self.__dict__.setdefault("_condition_memo", {})
        cached = memo.get(key)
        if cached is None or cached[0] != stamps:
            cached = memo[key] = (stamps, compute())
        return cached[1]

    def check_documents(self) -> None:
        """Read every job document and the project's once, so a document damaged or
        edited into invalid JSON is reported by name before any condition is
        evaluated (signac-flow masks errors raised in aggregate conditions)."""
        from .storage import document

        document(self)
        for job in self:
            document(job)

    def remaining_operations(self) -> list[str]:
        """Names of the (operation, aggregate) pairs not yet complete (post-conditions)
        among those each operation is for (its stage's ``selects``), one entry per pair."""
        names = []
        with self._buffered():
            for _, aggregate, group in self._generate_selected_aggregate_groups():
                name = group.name
                if name not in self.operations:
                    continue
                spec = self.stages.get(name)
                selected = spec.selects if spec is not None else None
                if selected is not None and not selected(*aggregate):
                    continue
                if not self.operations[name]._complete(aggregate):
                    names.append(name)
        return names

    def run(
        self,
        jobs=None,
        names=None,
        pretend=False,
        np=None,
        timeout=None,
        num=None,
        num_passes=1,
        progress=False,
        order=None,
        ignore_conditions=IgnoreConditions.NONE,
    ) -> None:
        """signac-flow's ``run``, with every worker busy until the last operation
        (:mod:`.scheduler`) instead of flow's passes; ``--pretend``, ``--num``,
        ``--num-passes``, ``--order``, ``--timeout`` and ``--progress`` keep flow's
        pass loop."""
        if pretend or num is not None or num_passes != 1 or order or timeout or progress:
            return super().run(
                jobs=jobs, names=names, pretend=pretend, np=np, timeout=timeout, num=num,
                num_passes=num_passes, progress=progress, order=order,
                ignore_conditions=ignore_conditions,
            )  # fmt: skip
        import os

        from .scheduler import format_seconds, run_pulling

        if isinstance(names, str):
            raise ValueError("names must be a sequence of operation names, not a string")
        workers = (os.cpu_count() or 1) if np is not None and np < 0 else (np or 1)
        stats = run_pulling(
            self,
            self._convert_jobs_to_aggregates(jobs),
            list(self.operations) if names is None else list(names),
            workers,
            ignore_conditions,
            self.remaining_operations,
        )
        if stats.done:
            scheduling = (
                f" (+ {stats.scheduler_seconds:.0f} s scheduling)"
                if stats.scheduler_seconds == stats.scheduler_seconds
                else ""
            )
            log.info(
                "run: %d operations done in %s on %d worker(s); CPU %.0f s in the "
                "operations%s, core utilisation %.2f (operations' CPU time / (wall × "
                "workers))%s",
                stats.done, format_seconds(stats.wall_seconds), workers, stats.cpu_seconds,
                scheduling, stats.utilisation,
                f"; {stats.restarted} restarted after a killed worker" if stats.restarted else "",
            )  # fmt: skip
        from pathlib import Path

        from .report import results_guide

        dashboard = Path(sys.argv[0]).resolve().parent / "dashboard.py"
        guide = results_guide(Path(self.path), f"{sys.executable} {dashboard} run")
        if guide and names is None:
            print(guide, flush=True)

    def main(self, parser=None) -> None:
        try:
            self.check_documents()
            super().main(parser)
        except Exception as err:
            if "--debug" in sys.argv:
                raise
            cause = err.__cause__
            if isinstance(err, UserOperationError | UserConditionError) and cause is not None:
                context, err = f"{err}\n", cause
            else:
                context = ""
            command = sys.argv[1] if len(sys.argv) > 1 else ""
            print(
                f"{context}(`project.py {command} --debug` shows the traceback)\n"
                f"{type(err).__name__}: {err}",
                file=sys.stderr,
            )
            sys.exit(1)
