"""The config beyond its schema: values given on the command line, and the checks that its
fields agree with one another (kept apart so the Snakefile's start-up imports nothing heavy)."""

from __future__ import annotations


def coerce_cli(section: dict) -> dict:
    """Snakemake's ``--config 'wcr={draws: 999}'`` gives nested values as strings: read each
    string value as YAML (999 -> 999, true -> True), so the schema sees typed values."""
    import yaml

    return {k: yaml.safe_load(v) if isinstance(v, str) else v for k, v in section.items()}


def _undefined(dim: str, levels: list[str], defined: dict, block: str) -> list[str]:
    """The message for grid levels of `dim` that config block `block` does not define."""
    missing = sorted(set(levels) - set(defined))
    if not missing:
        return []
    return [f"grid.dimensions.{dim} names {missing}, which {block}: lacks. Fix: define them "
            f"under {block}: in config.yaml or drop them from the grid."]


def problems(config: dict) -> list[str]:
    """Every cross-field inconsistency of a schema-valid config, one message each naming the
    key and the fix ([] when there is none). The schema checks each value; these check that
    the values agree with one another."""
    out = []
    devsets = config.get("developer_sets") or {}
    if config["sample"]["devset"] not in devsets:
        out.append(f"config key sample.devset={config['sample']['devset']!r} names no entry of "
                   f"developer_sets ({sorted(devsets)}). Fix: pick one of those.")
    dims = config["grid"]["dimensions"]
    constructions = config.get("constructions") or {}
    con = [str(v) for v in dims.get("construction", [])]
    if con and (con[0] != "default" or (constructions.get("default") or {}).get("set")):
        out.append("grid.dimensions.construction must start with `default`, and "
                   "constructions.default must have no overrides (it is `sample:` itself). "
                   "Fix: reorder the levels or move the overrides into sample:.")
    out += _undefined("construction", con, constructions, "constructions")
    panels = config.get("panels") or {}
    pan = [str(v) for v in dims.get("panel", [])]
    if pan and (pan[0] not in panels or (panels[pan[0]] or {}).get("set")):
        out.append("grid.dimensions.panel must start with the baseline panel (no panel: the "
                   "construction grid itself), defined under panels: with no overrides. Fix: "
                   "reorder the levels or define it, e.g. `paper: {}`.")
    out += _undefined("panel", pan, panels, "panels")
    bad = sorted(set(dims.get("devset", [])) - set(devsets))
    if bad:
        out.append(f"grid.dimensions.devset names {bad}, which developer_sets lacks. Fix: add "
                   "them to developer_sets or drop them from the grid.")
    bad = sorted(set(config["grid"].get("slice_by", [])) - set(dims))
    if bad:
        out.append(f"grid.slice_by names {bad}, which are not grid dimensions. Fix: slice by "
                   "grid dimensions only.")
    return out
