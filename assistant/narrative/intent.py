"""What a narrative question asks (definition, reason, list, …), from the question's own words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from index.normalize import compact
from prompts import load_prompt

IntentKind = Literal[
    "definition", "reason", "usage", "list", "result", "composition", "contact", "measures", "number", "general"
]


@dataclass(frozen=True)
class Intent:
    """The kind of answer a question wants, the other kinds it also asks for, and the words that said so."""

    kind: IntentKind
    also: tuple[IntentKind, ...] = ()
    cue: str = ""
    unit: str = ""  # the count a "多少/几" question names ('多少家' → 家), if any

    @property
    def name(self) -> str:
        """The intent's Chinese name, as the route shows it."""
        return _names().get(self.kind, "一般叙述")

    @property
    def kinds(self) -> tuple[IntentKind, ...]:
        return (self.kind, *self.also)

    @property
    def asks_text(self) -> bool:
        """Whether a passage, not a table figure, answers it (every intent but a plain number)."""
        return self.kind not in ("number", "general")


# Intents the report's words answer even when the question says 多少 ("三公经费包括哪些" / "自评得了多少分").
TEXT_INTENTS: tuple[IntentKind, ...] = ("definition", "result", "contact", "composition")


def narrative_intent(question: str) -> Intent:
    """The intent of a question: the first intent (in prompts/narrative.toml order) whose cue it contains."""
    q = compact(question)
    found: list[tuple[IntentKind, str]] = []
    for kind, cues in _cues():
        hit = next((m.group(0) for cue in cues if (m := cue.search(q))), None)
        if hit is not None:
            found.append((kind, hit))
    if not found:
        return Intent("general")
    kinds = tuple(k for k, _ in found)
    if kinds[0] == "number" and len(kinds) == 1:
        return Intent("number", cue=found[0][1], unit=asked_count(q))
    return Intent(kinds[0], also=tuple(k for k in kinds[1:] if k != "number"), cue=found[0][1])


# Counts stated in prose (企业 家, 活动 场, 接待 批次, 得分 分); money and shares are the tables' business.
_ASKED_COUNT = re.compile(r"(?:多少|几)(个(?!百分点|点)|家|人次|人|项|条|辆|台|批次|批|场|名|户|件|所|套|次|天|分)")


def asked_count(question: str) -> str:
    """The count a "多少/几" question names ('多少家企业' → 家), or ''."""
    m = _ASKED_COUNT.search(compact(question))
    return m.group(1) if m else ""


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[IntentKind, tuple[re.Pattern[str], ...]], ...]:
    return tuple(
        (item["kind"], tuple(re.compile(c) for c in (*item["cues"], *item.get("topics", ()))))
        for item in load_prompt("narrative")["intent"]
    )


@lru_cache(maxsize=1)
def stripped_cues() -> tuple[re.Pattern[str], ...]:
    """The cue words that say only what is asked, not about what (left out of a question's subject)."""
    return tuple(re.compile(c) for item in load_prompt("narrative")["intent"] for c in item["cues"] if not c.startswith("^"))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {item["kind"]: item["name"] for item in load_prompt("narrative")["intent"]}
