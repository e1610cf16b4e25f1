"""Layout families: one module per way of printing a 部门决算, registered in one table.

A layout says how to recognise its tables (how it numbers and titles them), which table kinds only it
prints (a university's 财政拨款支出决算表), what a scope word means in it ("财政拨款" is a table of its own
in the central format, a column of the totals table elsewhere), and how its columns may be named. The
shared reader (`index.structure`, `index.tables`) does everything else: header trees, split codes,
continuation pages, check formulas.

Adding a region is one module here (a `Layout` registered with `register`), its vocabulary entries and a
text fixture under `tests/data/layouts/` — nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from index.normalize import compact


@dataclass(frozen=True)
class Numbering:
    """How a layout prints a table's number: a pattern and the key the report's own numbering keeps."""

    pattern: re.Pattern
    key: str  # format string over the pattern's groups, the last group being the number ("公开{:02d}表")


@dataclass(frozen=True)
class Layout:
    """One layout family: recognition, its own table kinds, scope meanings and column names."""

    id: str
    name: str
    numberings: tuple[Numbering, ...] = ()
    # Title words that mark this family's tables ("高等学校"): each title holding one counts towards it.
    title_marks: tuple[str, ...] = ()
    # Table kinds only this family prints, tried before the common ones (see index.vocabulary.TableKind).
    kinds: tuple = ()
    # What a scope word of a question means in this layout: {"fiscal": "fiscal_expenditure"}.
    scope_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Other names of printed column words: {"基本建设资金支出": ("基建支出", "基本建设支出")}.
    column_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # How its narrative opens an item whose next sentences state the item's figures (group 1: the subject
    # path): 上海 "9、城乡社区支出（类）城乡社区规划与管理（款）城乡社区规划与管理（项）" then "年初预算为…".
    item_paths: tuple[re.Pattern, ...] = ()
    # Words of a cell that captions the table rather than holding data ("单位名称：", "单位：万元").
    caption_cells: tuple[str, ...] = ()
    # A family that numbers nothing (上海): it recognises the titles no family's numbering matches.
    bare_titles: bool = False
    # Tie-break among families that recognise equally well: lower first.
    priority: int = 50

    def numbering_of(self, line: str) -> re.Match | None:
        for numbering in self.numberings:
            m = numbering.pattern.search(line)
            if m:
                return m
        return None

    def score(self, titles: Iterable[str]) -> int:
        """How many of a report's table titles this family recognises (by numbering or title words)."""
        total = 0
        for title in titles:
            key = compact(title)
            if any(n.pattern.search(key) for n in self.numberings) or any(w in key for w in self.title_marks):
                total += 1
        return total


_REGISTRY: list[Layout] = []


def register(layout: Layout) -> Layout:
    """Add (or replace, by id) a layout family; the shared reader sees it at once."""
    _REGISTRY[:] = [l for l in _REGISTRY if l.id != layout.id] + [layout]
    _REGISTRY.sort(key=lambda l: l.priority)
    _changed()
    return layout


def unregister(layout_id: str) -> None:
    _REGISTRY[:] = [l for l in _REGISTRY if l.id != layout_id]
    _changed()


def layouts() -> tuple[Layout, ...]:
    """Every registered family, in priority order."""
    _load_builtin()
    return tuple(_REGISTRY)


def layout_by_id(layout_id: str) -> Layout | None:
    return next((l for l in layouts() if l.id == layout_id), None)


def layout_for(titles: Iterable[str]) -> Layout:
    """The family whose tables a report's table titles (caption lines, numbering included) are."""
    from index.vocabulary import kind_of

    # The standard tables tell a layout; performance tables are titled alike everywhere (bare, per project).
    titles = [t for t in titles if t.strip() and not kind_of(t).is_performance]
    every = layouts()

    def score(layout: Layout) -> int:
        if layout.bare_titles:
            return sum(1 for t in titles if not any(l.numbering_of(compact(t)) for l in every))
        return layout.score(titles)

    return sorted(every, key=lambda l: (-score(l), l.priority))[0]


def layout_of(tables) -> Layout:
    """The family of a parsed report, from its tables' printed numbering and titles."""
    return layout_for(f"{t.key} {t.title}" if t.key and t.key != t.title else t.title for t in tables)


def _changed() -> None:
    from index import vocabulary

    vocabulary.registry_changed()


_LOADED = False


def _load_builtin() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from index.layouts import central, shanghai, wuhan  # noqa: F401  (each registers itself)
