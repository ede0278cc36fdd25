"""The package's imports point one way (DESIGN.md, "Architecture"): among kerashape_magic's own
modules, the imports — lazy ones inside functions included — form no cycle (the hook <-> magics
and verify <-> verify_labels / verify_internal circles are gone), and the pure core imports
nothing outside itself. Read from the source with ``ast``; nothing is imported."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1] / "kerashape_magic"


def _modules():
    mods = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def _graph():
    mods = _modules()
    graph = {m: set() for m in mods}
    for mod, path in mods.items():
        package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - (node.level - 1)] + ([node.module] if node.module else [])
                target = ".".join(base)
                for alias in node.names:
                    candidate = target + "." + alias.name
                    dep = candidate if candidate in mods else target
                    if dep in mods and dep != mod:
                        graph[mod].add(dep)
    return graph


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_the_package_imports_form_no_cycle():
    graph = _graph()
    assert graph["kerashape_magic.verify_labels"] >= {"kerashape_magic.verify"}  # the reader sees edges
    assert _cycles(graph) == []


def test_the_core_imports_only_the_core():
    for mod, deps in _graph().items():
        if mod.startswith("kerashape_magic.core"):
            assert all(d.startswith("kerashape_magic.core") for d in deps), (mod, deps)
