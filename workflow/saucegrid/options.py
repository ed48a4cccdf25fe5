"""Checking options: the one place a dataclass of choices (the sample construction, a panel, a
specification) validates its values and a config block's keys."""

from __future__ import annotations

from dataclasses import fields


def check_choices(obj, choices: dict, what: str) -> None:
    """Every field of obj named in `choices` holds one of its allowed values; else ValueError
    naming the field, the value and the allowed ones."""
    for k, allowed in choices.items():
        v = getattr(obj, k)
        if v not in allowed:
            raise ValueError(f"{what} {k}={v!r} is not one of {list(allowed)}")


def check_keys(cls, given, what: str) -> set[str]:
    """The field names of dataclass `cls`; ValueError naming any key of `given` that is not
    one of them, with the valid ones."""
    names = {f.name for f in fields(cls)}
    unknown = set(given) - names
    if unknown:
        raise ValueError(f"{what}: unknown option(s) {sorted(unknown)}; choose from "
                         f"{sorted(names)}")
    return names
