"""README stays short, and every relative link of README.md and docs/*.md points at a file."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]
MAX_README_LINES = 200
# Relative links that may point at a file the repository does not hold: the run's artifacts
# (results/ is built by the workflow and git-ignored).
MAY_BE_MISSING = ("results/",)

FENCED = re.compile(r"^ *(```|~~~).*?^ *\1", re.S | re.M)
INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def link_targets(text: str) -> list[str]:
    """The targets of the markdown links of a page, code blocks and inline code left out."""
    text = INLINE_CODE.sub("", FENCED.sub("", text))
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def broken_links(text: str, folder: Path) -> list[str]:
    """The relative link targets of a page in folder that name no file."""
    broken = []
    for target in link_targets(text):
        if not target or target.startswith("#") or SCHEME.match(target):
            continue  # an anchor on the page itself, or http(s), mailto, ...
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        resolved = (folder / path).resolve()
        try:
            rel = resolved.relative_to(REPO).as_posix()
        except ValueError:
            broken.append(f"{target} (outside the repository)")
            continue
        if rel.startswith(MAY_BE_MISSING):
            continue
        if not resolved.exists():
            broken.append(target)
    return broken


def test_readme_is_short():
    n = len(README.read_text().splitlines())
    assert n <= MAX_README_LINES, (
        f"README.md has {n} lines (at most {MAX_README_LINES}): move details into docs/*.md")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_relative_links_point_at_files(page):
    broken = broken_links(page.read_text(), page.parent)
    assert not broken, f"{page.relative_to(REPO)} links to missing files: {broken}"


def test_the_link_check_finds_a_broken_link():
    text = ("[ok](../README.md) [gone](missing.md#part) [run](../results/findings.md) "
            "[web](https://example.org/a.md) [here](#top) `[code](nope.md)` "
            "![img](../docs/none.png \"title\")\n"
            "```bash\n[fenced](nope.md)\n```\n[ref]: ../nowhere.md\n")
    assert link_targets(text) == [
        "../README.md", "missing.md#part", "../results/findings.md", "https://example.org/a.md",
        "#top", "../docs/none.png", "../nowhere.md"]
    assert broken_links(text, REPO / "docs") == [
        "missing.md#part", "../docs/none.png", "../nowhere.md"]
