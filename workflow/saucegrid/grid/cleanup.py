"""Removing what a run leaves behind: per-cell files of cells no longer in the grid.

Per-cell outputs live at ``<root>/<cell id>/<file>`` (figures) or ``<root>/<cell id>.log``
(logs); a cell id holds '/', so these are nested folders. A file whose cell id is not in the
current grid belongs to a cell that a changed grid (or a renamed id) dropped.
"""

from __future__ import annotations

from pathlib import Path


def cell_of(path: Path, root: Path) -> str:
    """The cell id a per-cell file belongs to."""
    rel = path.relative_to(root)
    return rel.with_suffix("").as_posix() if path.suffix == ".log" else rel.parent.as_posix()


def stale_cell_files(root: str | Path, keep: set[str]) -> list[Path]:
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and cell_of(p, root) not in keep)


def remove_stale_cells(root: str | Path, keep: set[str]) -> int:
    """Delete the files of cells not in `keep` under root, then the folders left empty; return
    how many files went."""
    files = stale_cell_files(root, keep)
    for p in files:
        p.unlink()
    root = Path(root)
    if root.is_dir():
        for d in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(d.iterdir()):
                d.rmdir()
    return len(files)
