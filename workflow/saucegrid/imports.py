"""The package's import graph, read from the source (never by importing it): which saucegrid
modules a script or a module runs, directly or through other modules.

The workflow uses it twice:

- every rule lists, as inputs, the modules its script imports (:func:`script_closure`), so
  editing a module re-runs exactly the rules whose scripts reach it (Snakemake's mtime trigger);
- the grid's cell cache keys on a hash of the modules the fitting code reaches
  (:func:`closure_hash`), so an edit elsewhere (a report, a plot) keeps every cached cell.

Every ``import`` statement counts, including those inside functions (the lazy imports run when
the function does), so the closure is what a script *may* run, never less. Importing a
submodule runs its parent packages' ``__init__``; those count too.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = "saucegrid"
ROOT = Path(__file__).resolve().parent  # workflow/saucegrid


def module_path(name: str, root: Path = ROOT) -> Path | None:
    """The file of package module `name` ('saucegrid.x.y'): x/y.py or x/y/__init__.py."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = root.joinpath(*parts[1:])
    for p in (base.with_suffix(".py"), base / "__init__.py"):
        if p.is_file():
            return p
    return None


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _resolve(node: ast.ImportFrom, current: str, is_pkg: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_pkg else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def direct_imports(path: Path, name: str | None, root: Path = ROOT) -> frozenset[str]:
    """The package modules that the file at `path` (the module `name`, None for a script)
    imports anywhere in its body, with the parent packages each import runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    pkg = name is not None and _is_package(path)
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level and name is None:
                continue  # a script has no package
            mod = _resolve(node, name or "", pkg)
            targets = [mod]
            # `from pkg import sub`: sub may be a module
            targets += [f"{mod}.{a.name}" for a in node.names if a.name != "*"]
        for t in targets:
            if t.split(".")[0] != PACKAGE:
                continue
            for cand in [*_parents(t), t]:
                if module_path(cand, root) is not None:
                    found.add(cand)
    found.discard(name or "")
    return frozenset(found)


def closure(modules: Iterable[str], root: Path = ROOT) -> set[str]:
    """Every package module reached from `modules` (included), through any chain of imports."""
    todo = [m for m in modules]
    seen: set[str] = set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        path = module_path(m, root)
        if path is None:
            raise ValueError(f"{m!r} is not a module of {root}")
        seen.add(m)
        todo += [p for p in _parents(m) if p not in seen]
        todo += [d for d in direct_imports(path, m, root) if d not in seen]
    return seen


def script_modules(script: str | Path, root: Path = ROOT) -> set[str]:
    """The package modules a script (outside the package) runs."""
    return closure(direct_imports(Path(script).resolve(), None, root), root)


def files(modules: Iterable[str], root: Path = ROOT) -> list[Path]:
    """The source files of `modules`, sorted."""
    return sorted(module_path(m, root) for m in modules)


def script_closure(script: str | Path, root: Path = ROOT) -> list[str]:
    """The source files of the package modules a script runs, sorted: a rule's code inputs."""
    return [str(p) for p in files(script_modules(script, root), root)]


def closure_hash(modules: Iterable[str], root: Path = ROOT) -> str:
    """sha256 over the sources of everything `modules` reach (path and bytes, sorted by path),
    so renaming or editing any of them changes it."""
    h = hashlib.sha256()
    for p in files(closure(modules, root), root):
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def package_files(root: Path = ROOT) -> list[str]:
    """Every source file of the package, sorted."""
    return sorted(str(p) for p in root.rglob("*.py") if "__pycache__" not in p.parts)


# the module whose closure fits a cell: the grid's cell cache keys on its hash
FIT_ENTRY = f"{PACKAGE}.grid.fit"


def fit_code_hash(root: Path = ROOT) -> str:
    """The hash of the code that fits a cell (everything :data:`FIT_ENTRY` reaches)."""
    return closure_hash([FIT_ENTRY], root)


# --------------------------------------------------------------------------------------------
# the stages: imports point down them only

# each top-level part of the package and its stage; a module may import its own part or any
# part of a lower stage, never a higher one or another part of its own stage (but the helpers
# of stage 0 may import each other)
STAGES = {
    "fileio": 0, "formatting": 0, "settings": 0, "one_thread": 0, "imports": 0, "runner": 0,
    "runinfo": 0, "options": 0, "architecture": 0,
    "data": 1,
    "estimation": 2,
    "grid": 3,
    "report": 4,
    "out_of_sample": 5, "findings": 5, "diff": 5,
    "cli": 6,
}


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out = {}
    for p in sorted(root.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        parts = list(p.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([PACKAGE, *parts])] = p
    return out


def part_of(name: str) -> str | None:
    """The top-level part a module belongs to ('data' for saucegrid.data.sample.common);
    None for the package itself."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def edges(root: Path = ROOT) -> dict[str, set[str]]:
    """module -> the package modules it imports, without its own parent packages (which
    Python runs before the module in any case)."""
    return {m: set(direct_imports(p, m, root)) - set(_parents(m))
            for m, p in modules(root).items()}


def layer_violations(root: Path = ROOT, stages: dict[str, int] = STAGES) -> list[str]:
    """Every import that points up the stages or sideways into another part of the same stage,
    and every module whose part has no stage: one readable line each."""
    out = []
    for m, targets in sorted(edges(root).items()):
        pm = part_of(m)
        if pm is None:
            continue
        if pm not in stages:
            out.append(f"{m}: part {pm!r} has no stage in saucegrid.imports.STAGES")
            continue
        leaves = {t for t in targets if not any(o.startswith(t + ".") for o in targets)}
        for t in sorted(leaves):  # `from a.b import c` imports a.b.c: name that, not a.b
            pt = part_of(t)
            if pt is None or pt == pm or pt not in stages:
                continue
            if stages[pt] > stages[pm] or (stages[pt] == stages[pm] and stages[pm] > 0):
                out.append(f"{m} (stage {stages[pm]}, {pm}) imports {t} "
                           f"(stage {stages[pt]}, {pt})")
    return out


def cycles(root: Path = ROOT) -> list[list[str]]:
    """Import cycles between modules (strongly connected components of more than one module,
    or a module importing itself), each sorted, by Tarjan's algorithm."""
    g = edges(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in g:
                continue
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
            if len(comp) > 1 or v in g.get(v, ()):
                found.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(found)
