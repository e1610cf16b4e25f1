"""Passages for narrative answers, each labelled the way citations name sections."""

from __future__ import annotations

from dataclasses import dataclass

from index.normalize import join_cjk


@dataclass(frozen=True)
class CitedPassage:
    label: str
    page: int | None
    text: str
    score: float
    kind: str


def heading_label(heading_path: tuple[str, ...]) -> str:
    """'第三部分 … › 十一、政府采购支出情况': the whole heading path, as section citations read."""
    return " › ".join(join_cjk(h) for h in heading_path)


def cited_passages(passages) -> list[CitedPassage]:
    """Retrieved passages (index.retrieval.Passage) as citable answer parts."""
    return [
        CitedPassage(label=heading_label(p.heading_path), page=p.page, text=p.text, score=p.score, kind=p.kind)
        for p in passages
    ]
