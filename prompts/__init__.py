"""Prompts and answer wording live here as data files, loaded through load_prompt()."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_prompt(name: str) -> dict[str, str]:
    """The templates of prompts/<name>.toml."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
