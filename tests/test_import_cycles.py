"""The import graph of the bibtools package has no cycles (issue 14).

The graph is read from the source with ``ast``, so it sees every import, not
only the ones a test run happens to execute. Three kinds of edge:

- module level (class bodies included): runs when the module is imported;
- typing only (under ``if TYPE_CHECKING:``): never runs, read by type checkers;
- function level: runs when the function is called.

Module-level imports form no cycle anywhere in the package. Through
``bibtools/csl`` no cycle at all: a function-level or typing-only import only
hides a cycle between modules that depend on each other.

``python tests/test_import_cycles.py`` prints the cycles of both kinds.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "bibtools"
CSL = "bibtools.csl"

Graph = Mapping[str, set[str]]


@dataclass
class ImportGraph:
    modules: set[str] = field(default_factory=set)
    module_level: dict[str, set[str]] = field(default_factory=dict)
    typing_only: dict[str, set[str]] = field(default_factory=dict)
    function_level: dict[str, set[str]] = field(default_factory=dict)

    def combined(self) -> dict[str, set[str]]:
        return {m: self.module_level[m] | self.typing_only[m] | self.function_level[m] for m in self.modules}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The bibtools modules an import statement loads (outside modules are dropped)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        # ``from pkg import name``: name is a submodule or an attribute of pkg
        names = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in known else prefix for alias in node.names]
    return {name for name in names if name in known}


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str]) -> None:
        self.module, self.is_package, self.known = module, is_package, known
        self.in_function = self.typing_only = False
        self.edges: dict[str, set[str]] = {"module": set(), "typing": set(), "function": set()}

    def _function(self, node: ast.AST) -> None:
        outer, self.in_function = self.in_function, True
        self.generic_visit(node)
        self.in_function = outer

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            outer, self.typing_only = self.typing_only, True
            for child in node.body:
                self.visit(child)
            self.typing_only = outer
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        found = _targets(node, self.module, self.is_package, self.known) - {self.module}
        kind = "function" if self.in_function else "typing" if self.typing_only else "module"
        self.edges[kind].update(found)

    visit_Import = visit_ImportFrom = _import


def build_graph(root: Path = PACKAGE_ROOT) -> ImportGraph:
    files = {_module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    graph = ImportGraph(modules=set(files))
    for module, path in files.items():
        collector = _Collector(module, path.name == "__init__.py", graph.modules)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        graph.module_level[module] = collector.edges["module"]
        graph.typing_only[module] = collector.edges["typing"]
        graph.function_level[module] = collector.edges["function"]
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _touching(components: Iterable[list[str]], package: str) -> list[list[str]]:
    return [c for c in components if any(m == package or m.startswith(package + ".") for m in c)]


# -- the graph builder itself --------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_builder_sorts_module_and_function_level_imports(tmp_path: Path) -> None:
    root = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b\nfrom .sub.c import thing\nimport os\n",
        "pkg/b.py": "def late():\n    from .a import x\n",
        "pkg/sub/__init__.py": "from .. import b\n",
        "pkg/e.py": "import pkg.f\n",
        "pkg/f.py": "from .e import *\n",
        "pkg/sub/c.py": "from ..e import y\nclass K:\n    from . import d\n",
        "pkg/sub/d.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.sub import c\nelse:\n    from .. import e\n",
    })
    graph = build_graph(root)
    assert graph.module_level["pkg.a"] == {"pkg.b", "pkg.sub.c"}
    assert graph.function_level["pkg.b"] == {"pkg.a"}
    assert graph.module_level["pkg.sub"] == {"pkg.b"}
    assert graph.module_level["pkg.sub.c"] == {"pkg.e", "pkg.sub.d"}  # a class body runs at import
    assert graph.typing_only["pkg.sub.d"] == {"pkg.sub.c"}
    assert graph.module_level["pkg.sub.d"] == {"pkg.e"}  # the else branch runs
    assert cycles(graph.module_level) == [["pkg.e", "pkg.f"]]
    assert cycles(graph.combined()) == [["pkg.a", "pkg.b"], ["pkg.e", "pkg.f"], ["pkg.sub.c", "pkg.sub.d"]]
    assert _touching(cycles(graph.combined()), "pkg.sub") == [["pkg.sub.c", "pkg.sub.d"]]


def test_no_cycle_among_module_level_imports() -> None:
    graph = build_graph()
    assert "bibtools.csl.api" in graph.modules and graph.module_level["bibtools.csl.api"]
    assert cycles(graph.module_level) == []


def test_no_cycle_at_all_through_the_csl_layer() -> None:
    graph = build_graph()
    assert _touching(cycles(graph.combined()), CSL) == []


if __name__ == "__main__":
    built = build_graph()
    print("module-level cycles:", *cycles(built.module_level) or ["none"], sep="\n  ")
    typed = {m: built.module_level[m] | built.typing_only[m] for m in built.modules}
    print("cycles with typing-only imports too:", *cycles(typed) or ["none"], sep="\n  ")
    print("cycles with function-level imports too:", *cycles(built.combined()) or ["none"], sep="\n  ")
