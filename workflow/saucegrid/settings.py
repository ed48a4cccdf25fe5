"""Reading config values given on the command line (kept apart so the Snakefile's start-up
imports nothing heavy)."""

from __future__ import annotations


def coerce_cli(section: dict) -> dict:
    """Snakemake's ``--config 'wcr={draws: 999}'`` gives nested values as strings: read each
    string value as YAML (999 -> 999, true -> True), so the schema sees typed values."""
    import yaml

    return {k: yaml.safe_load(v) if isinstance(v, str) else v for k, v in section.items()}
