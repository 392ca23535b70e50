"""The package's shape, read from its source (``tools/import_map.py``): no import circle, no
function longer than ``LONGEST`` lines, and the layers kept (the science never imports the
signac glue)."""

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "import_map.py"
spec = importlib.util.spec_from_file_location("import_map", TOOL)
import_map = importlib.util.module_from_spec(spec)
sys.modules["import_map"] = import_map
spec.loader.exec_module(import_map)


@pytest.fixture(scope="module")
def package_map():
    return import_map.import_map()


def test_the_map_sees_the_whole_package(package_map):
    assert "softness_entropy.workflow.flowproject" in package_map.lines
    assert ("softness_entropy.analysis.barriers", "softness_entropy.analysis.strata") in (
        package_map.arrows
    )


def test_no_import_circle(package_map):
    assert package_map.cycles() == []


def test_no_function_over_the_limit(package_map):
    assert package_map.long_functions == [], f"over {import_map.LONGEST} lines"


@pytest.mark.parametrize("layer", ["analysis", "runs", "engines", "plotting"])
def test_science_layers_never_import_the_glue(package_map, layer):
    prefix = f"softness_entropy.{layer}"
    for module, names in package_map.imports.items():
        if module == prefix or module.startswith(prefix + "."):
            glue = {n for n in names if n.split(".")[0] in {"signac", "flow"}}
            assert not glue, (module, glue)
            assert not any(
                t.startswith("softness_entropy.workflow")
                for (s, t) in package_map.arrows
                if s == module
            ), module
