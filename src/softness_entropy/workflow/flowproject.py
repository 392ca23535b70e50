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

from flow import FlowProject
from flow.errors import UserConditionError, UserOperationError


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

    def check_documents(self) -> None:
        """Read every job document and the project's once, so a document damaged or
        edited into invalid JSON is reported by name before any condition is
        evaluated (signac-flow masks errors raised in aggregate conditions)."""
        from .storage import document

        document(self)
        for job in self:
            document(job)

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
