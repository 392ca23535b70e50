"""The FlowProject class every stage module registers its operations on.

Kept in its own module (empty on purpose) so stage modules can import it without
importing each other.
"""

from flow import FlowProject


class Project(FlowProject):
    """The softness / excess-entropy workflow (operations: see ``project.py``)."""
