"""Prompts and answer wording live here as data files, loaded through load_prompt()."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_prompt(name: str) -> dict[str, str]:
    """The templates of prompts/<name>.toml."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def say(key: str, **values) -> str:
    """An answer sentence from prompts/answers.toml: say("lookup.cell", label=…, value=…, unit=…)."""
    section, _, name = key.partition(".")
    return load_prompt("answers")[section][name].format(**values)
