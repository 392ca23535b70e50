"""The import map of ``softness_entropy``: modules, lines, import arrows, cycles, long functions.

An *arrow* is a distinct (importer, imported) pair of modules inside the package, whether the
import sits at module level or inside a function (``from . import x`` counts as an arrow to
``x``). Implicit imports of a parent package are not counted. Lines are physical lines.

    python tools/import_map.py            # the map, module by module, then the totals
    python tools/import_map.py --summary  # the totals, cycles and long functions only

``tests/test_layout.py`` checks the same map: no cycle, no function over ``LONGEST`` lines,
and the layers (``analysis`` and ``runs`` never import ``workflow`` or signac).
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "softness_entropy"
LONGEST = 80  # lines a function may span, from its ``def`` to its last line


@dataclass
class ImportMap:
    """Modules (name -> lines), arrows ((importer, imported) -> kinds) and long functions."""

    lines: dict[str, int] = field(default_factory=dict)
    arrows: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    long_functions: list[tuple[int, str, str]] = field(default_factory=list)
    imports: dict[str, set[str]] = field(default_factory=dict)  # module -> every name imported

    def cycles(self, top_level_only: bool = False) -> list[list[str]]:
        """Strongly connected components with more than one module (Tarjan)."""
        graph: dict[str, list[str]] = defaultdict(list)
        for (source, target), kinds in self.arrows.items():
            if not top_level_only or "top" in kinds:
                graph[source].append(target)
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        found: list[list[str]] = []

        def visit(node: str) -> None:
            index[node] = low[node] = len(index)
            stack.append(node)
            for nxt in graph[node]:
                if nxt not in index:
                    visit(nxt)
                    low[node] = min(low[node], low[nxt])
                elif nxt in stack:
                    low[node] = min(low[node], index[nxt])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

        for node in self.lines:
            if node not in index:
                visit(node)
        return found


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(module: str, is_package: bool, node: ast.AST, known: set[str]) -> list[str]:
    def owner(name: str) -> str:
        while name not in known and "." in name:
            name = name.rsplit(".", 1)[0]
        return name

    if isinstance(node, ast.Import):
        return [owner(a.name) for a in node.names if a.name.startswith(PACKAGE)]
    assert isinstance(node, ast.ImportFrom)
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rsplit(".", 1)[0]
        for _ in range(node.level - 1):
            package = package.rsplit(".", 1)[0]
        base = package + ("." + base if base else "")
    if not base.startswith(PACKAGE):
        return []
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else owner(base) for a in node.names]


def import_map(src: Path = SRC) -> ImportMap:
    """Read every module of the package under ``src`` (no import is executed)."""
    paths = {module_name(p, src): p for p in sorted((src / PACKAGE).rglob("*.py"))}
    known = set(paths)
    result = ImportMap()
    for module, path in paths.items():
        text = path.read_text(encoding="utf-8")
        result.lines[module] = len(text.splitlines())
        result.imports[module] = set()
        is_package = path.name == "__init__.py"

        def walk(node: ast.AST, in_function: bool, module=module, path=path, is_package=is_package):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    names = [a.name for a in child.names]
                    if isinstance(child, ast.ImportFrom) and child.module and not child.level:
                        names = [child.module]
                    result.imports[module].update(names)
                    for target in _targets(module, is_package, child, known):
                        if target != module:
                            kinds = result.arrows.setdefault((module, target), set())
                            kinds.add("local" if in_function else "top")
                is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                if is_function and child.end_lineno - child.lineno + 1 > LONGEST:
                    where = f"{path.relative_to(src.parent)}:{child.lineno}"
                    result.long_functions.append(
                        (child.end_lineno - child.lineno + 1, child.name, where)
                    )
                walk(child, in_function or is_function)

        walk(ast.parse(text), False)
    result.long_functions.sort(reverse=True)
    return result


def group_of(module: str, result: ImportMap) -> str:
    parts = module.split(".")
    if len(parts) > 2 or any(m.startswith(module + ".") for m in result.lines):
        return parts[1] if len(parts) > 1 else "(top)"
    return "(top)"


def summary(result: ImportMap) -> str:
    short = lambda m: m[len(PACKAGE) + 1 :] or PACKAGE  # noqa: E731
    lines = [
        f"modules {len(result.lines)}, lines {sum(result.lines.values())}, "
        f"arrows {len(result.arrows)}"
    ]
    groups: dict[str, list[str]] = defaultdict(list)
    for module in result.lines:
        groups[group_of(module, result)].append(module)
    for name, members in sorted(groups.items()):
        inside = set(members)
        within = sum(s in inside and t in inside for s, t in result.arrows)
        out = sum(s in inside and t not in inside for s, t in result.arrows)
        into = sum(t in inside and s not in inside for s, t in result.arrows)
        lines.append(
            f"  {name:10s} {len(members):3d} modules {sum(result.lines[m] for m in members):6d} "
            f"lines; arrows within {within}, out {out}, in {into}"
        )
    cycles = [[short(m) for m in c] for c in result.cycles()]
    lines.append(f"cycles: {cycles or 'none'}")
    lines.append(f"functions over {LONGEST} lines: {len(result.long_functions)}")
    lines += [f"  {n} {name} {where}" for n, name, where in result.long_functions]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="totals, cycles, long functions")
    args = parser.parse_args()
    result = import_map()
    if not args.summary:
        short = lambda m: m[len(PACKAGE) + 1 :] or PACKAGE  # noqa: E731
        for module, n in result.lines.items():
            targets = sorted(
                f"{short(t)}[{'/'.join(sorted(k))}]"
                for (s, t), k in result.arrows.items()
                if s == module
            )
            print(f"{short(module)} | {n} | {', '.join(targets) or '-'}")
    print(summary(result))


if __name__ == "__main__":
    main()
