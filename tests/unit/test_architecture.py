"""docs/architecture.md is generated from the source and must match it."""

from saucegrid import architecture


def test_the_architecture_page_is_current():
    assert architecture.PAGE.read_text() == architecture.page(), (
        "docs/architecture.md is out of date: run `python -m saucegrid.architecture`")


def test_every_rule_with_a_script_and_every_script_is_on_the_page():
    text = architecture.page()
    blocks = architecture.rule_blocks(architecture.REPO / "rules")
    scripts = {architecture.script(b) for _, _, b in blocks} - {None}
    on_disk = {f"workflow/scripts/{p.name}"
               for p in (architecture.REPO / "workflow" / "scripts").glob("*.py")}
    assert scripts == on_disk  # no script without a rule, no rule pointing at a missing one
    for _, rule, block in blocks:
        if architecture.script(block):
            assert f"`{rule}`" in text
            assert architecture.outputs(block), f"rule {rule} declares no results/ output"
