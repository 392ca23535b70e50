"""napoleon for docstrings with sections; doc comments and property docstrings as written.

The package's docstrings use numpy-style underlined sections (``Parameters``,
``Attributes``, ``Returns``), which napoleon turns into field lists.  Its ``#:`` doc
comments and property docstrings, on the other hand, are prose ("the pipeline, in
order: the scheduler's first priority"); napoleon reads the first line of every
attribute, data and property docstring as ``type: description`` and would print the
words before the first colon as the type.  This extension loads napoleon and lets it
process every docstring except those three kinds, which are left exactly as written.
"""

from __future__ import annotations

from sphinx.ext import napoleon

#: autodoc object types whose docstrings are prose, never ``type: description``
PROSE = frozenset({"attribute", "data", "property"})


def _process(app, what, name, obj, options, lines) -> None:
    if what not in PROSE:
        napoleon._process_docstring(app, what, name, obj, options, lines)


def setup(app):
    app.setup_extension("sphinx.ext.napoleon")
    for listener in list(app.events.listeners.get("autodoc-process-docstring", ())):
        if listener.handler is napoleon._process_docstring:
            app.disconnect(listener.id)
    app.connect("autodoc-process-docstring", _process)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
