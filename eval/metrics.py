"""Scoring rules of ../shared/eval/README.md, one small pure function per rule.

Gold items are read into `GoldItem` / `GoldQuestion`; predictions are the answer dicts of the
JSON contract (`Answer.to_dict`), so a predictions file from any system can be scored.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

GoldType = Literal["lookup", "calc", "narrative", "unanswerable", "clarify", "conversation"]
GOLD_TYPES: tuple[str, ...] = ("lookup", "calc", "narrative", "clarify", "unanswerable", "conversation")
TURN_TYPES: tuple[str, ...] = ("lookup", "calc", "narrative", "clarify", "unanswerable")

# Money units convert into each other; every other unit compares as stated.
MONEY_UNITS: dict[str, float] = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
PERCENT = "%"
# Float slack on top of `tol`, so that 86.35 vs 86.3 with tol 0.05 counts as inside.
_EPSILON = 1e-9

_NUMBER_WITH_UNIT = re.compile(
    r"(?<![\d.])(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(亿元|万元|元|%)?"
)
_BLANKS = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "＂": '"'})


@dataclass(frozen=True)
class GoldQuestion:
    """One question with what a correct answer must contain (a gold line or one turn of it)."""

    id: str
    question: str
    type: str
    values: tuple[float, ...] = ()
    unit: str = ""
    tol: float = 0.0
    cite: tuple[str, ...] = ()
    must_include: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldItem:
    """A gold line: one question, or the turns of a conversation asked in order."""

    id: str
    type: str
    turns: tuple[GoldQuestion, ...]


@dataclass(frozen=True)
class TurnScore:
    """One answer judged against its gold question."""

    item_id: str
    gold: GoldQuestion
    answer: Mapping
    passed: bool
    reason: str  # why it failed, "" when it passed


@dataclass(frozen=True)
class Scorecard:
    """Every figure the runner prints for one pipeline."""

    items: int
    passed: int
    by_type: dict[str, tuple[int, int]]  # type -> (passed, total), in GOLD_TYPES order
    citation_accuracy: float | None  # None when no correct answer has a gold `cite`
    citation_counts: tuple[int, int]
    not_found_precision: float | None  # None when nothing was answered not_found
    not_found_counts: tuple[int, int]
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    failures: tuple[TurnScore, ...]
    citation_misses: tuple[TurnScore, ...]  # correct answers whose citations miss a cite entry
    # Numeric turns (lookup / calc), counted apart: a wrong number stated with confidence is worse than none.
    numeric_right: int = 0
    numeric_wrong: int = 0  # answered with a number that is not the gold figure
    numeric_unanswered: int = 0  # not_found, clarify or text: no figure stated

    @property
    def accuracy(self) -> float:
        return self.passed / self.items if self.items else 0.0


# ---------------------------------------------------------------- gold file


def load_gold(path: Path) -> list[GoldItem]:
    """Read a gold JSONL file; a malformed line raises ValueError naming the line."""
    items: list[GoldItem] = []
    seen: set[str] = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = parse_gold_item(json.loads(line))
        except (ValueError, TypeError, KeyError) as e:
            raise ValueError(f"{path} 第{number}行：{e}") from e
        if item.id in seen:
            raise ValueError(f"{path} 第{number}行：id {item.id} 重复")
        seen.add(item.id)
        items.append(item)
    return items


def parse_gold_item(record: Mapping) -> GoldItem:
    """One gold JSON object as a GoldItem (a single question becomes a one-turn item)."""
    item_id = str(record["id"])
    kind = record.get("type")
    if kind == "conversation":
        turns = record.get("turns") or []
        if not turns:
            raise ValueError(f"{item_id}：conversation 需要非空的 turns")
        return GoldItem(
            id=item_id,
            type=kind,
            turns=tuple(_parse_question(t, f"{item_id}#{n}") for n, t in enumerate(turns, start=1)),
        )
    return GoldItem(id=item_id, type=str(kind), turns=(_parse_question(record, item_id),))


def _parse_question(record: Mapping, question_id: str) -> GoldQuestion:
    kind = record.get("type")
    if kind not in TURN_TYPES:
        raise ValueError(f"{question_id}：type 应为 {' / '.join(GOLD_TYPES)} 之一，而不是 {kind!r}")
    question = str(record.get("question") or "").strip()
    if not question:
        raise ValueError(f"{question_id}：缺少 question")
    values = tuple(float(v) for v in record.get("values") or ())
    if kind in ("lookup", "calc", "clarify") and not values:
        raise ValueError(f"{question_id}：{kind} 题需要 values")
    return GoldQuestion(
        id=question_id,
        question=question,
        type=kind,
        values=values,
        unit=str(record.get("unit") or ""),
        tol=float(record.get("tol") or 0.0),
        cite=tuple(record.get("cite") or ()),
        must_include=tuple(record.get("must_include") or ()),
    )


# ---------------------------------------------------------------- one rule each


def convert_unit(value: float, unit: str, target: str) -> float | None:
    """`value` in `unit` expressed in `target`; None when the units cannot be compared.

    元 / 万元 / 亿元 convert into each other; % only matches %; any other units (人, 个, 辆,
    or none) are compared as stated, since a count is the same number whatever it is called.
    """
    unit, target = _unit(unit), _unit(target)
    if unit == target:
        return value
    if unit in MONEY_UNITS and target in MONEY_UNITS:
        return value * MONEY_UNITS[unit] / MONEY_UNITS[target]
    if unit in MONEY_UNITS or target in MONEY_UNITS or PERCENT in (unit, target):
        return None
    return value


def value_matches(value: float | None, unit: str, gold: GoldQuestion) -> bool:
    """The value, converted to the gold unit, is within `tol` of some accepted value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    converted = convert_unit(float(value), unit, gold.unit)
    if converted is None:
        return False
    return any(abs(converted - accepted) <= gold.tol + _EPSILON for accepted in gold.values)


def includes_all(text: str, must_include: Sequence[str]) -> bool:
    """Every entry (`a|b` alternatives) occurs in the text."""
    return not missing_includes(text, must_include)


def missing_includes(text: str, must_include: Sequence[str]) -> list[str]:
    """The must_include entries none of whose alternatives occur in the text."""
    text = text or ""
    return [entry for entry in must_include if not any(alt in text for alt in _alternatives(entry))]


def citation_labels(answer: Mapping) -> list[str]:
    """Labels of the answer's citations and of its candidates' citations."""
    labels = [c.get("label") or "" for c in answer.get("citations") or ()]
    labels += [(c.get("citation") or {}).get("label") or "" for c in answer.get("candidates") or ()]
    return [label for label in labels if label]


def cite_matches(labels: Sequence[str], cite: Sequence[str]) -> bool:
    """Every cite entry (`a|b|c`) is matched: some label contains one of its alternatives."""
    return not unmatched_cites(labels, cite)


def unmatched_cites(labels: Sequence[str], cite: Sequence[str]) -> list[str]:
    """The cite entries no label matches (labels and cites compared without blanks)."""
    folded = [_fold(label) for label in labels]
    return [
        entry
        for entry in cite
        if not any(_fold(alt) in label for alt in _alternatives(entry) for label in folded)
    ]


def numbers_in_text(text: str) -> list[tuple[float, str]]:
    """Every figure in the text with the money or % unit right after it ('' when none)."""
    found = []
    for match in _NUMBER_WITH_UNIT.finditer((text or "").replace("％", "%")):
        found.append((float(match.group(1).replace(",", "")), match.group(2) or ""))
    return found


def value_in_text(text: str, accepted: float, gold: GoldQuestion) -> bool:
    """Some figure of the text, converted to the gold unit where it has one, equals `accepted`."""
    for value, unit in numbers_in_text(text):
        converted = convert_unit(value, unit or gold.unit, gold.unit)
        if converted is not None and abs(converted - accepted) <= gold.tol + _EPSILON:
            return True
    return False


def value_in_candidates(candidates: Iterable[Mapping], accepted: float, gold: GoldQuestion) -> bool:
    """Some candidate's value, converted to the gold unit, equals `accepted` within `tol`."""
    for candidate in candidates:
        value = candidate.get("value")
        if value is None:
            continue
        converted = convert_unit(float(value), candidate.get("unit") or "", gold.unit)
        if converted is not None and abs(converted - accepted) <= gold.tol + _EPSILON:
            return True
    return False


# ---------------------------------------------------------------- per type


def failure_reason(gold: GoldQuestion, answer: Mapping) -> str:
    """Why the answer fails its gold question under the README rules; '' when it passes."""
    text = answer.get("text") or ""
    if gold.type in ("lookup", "calc"):
        if answer.get("value") is None:
            return f"没有数值（kind={answer.get('kind')}）"
        if convert_unit(float(answer["value"]), answer.get("unit") or "", gold.unit) is None:
            return f"单位不符：{answer.get('unit') or '无单位'}，应为 {gold.unit}"
        if not value_matches(answer["value"], answer.get("unit") or "", gold):
            return "数值不符"
        missing = missing_includes(text, gold.must_include)
        return f"正文缺少：{'、'.join(missing)}" if missing else ""
    if gold.type == "narrative":
        missing = missing_includes(text, gold.must_include)
        return f"正文缺少：{'、'.join(missing)}" if missing else ""
    if gold.type == "clarify":
        candidates = answer.get("candidates") or ()
        missing_values = [
            v for v in gold.values
            if not (value_in_text(text, v, gold) or value_in_candidates(candidates, v, gold))
        ]
        return f"未列出候选：{'、'.join(_format_number(v) for v in missing_values)}" if missing_values else ""
    if gold.type == "unanswerable":
        return "" if answer.get("kind") == "not_found" else f"应答“未找到”，却答了 {answer.get('kind')}"
    raise ValueError(f"未知题型 {gold.type}")


def answer_passes(gold: GoldQuestion, answer: Mapping) -> bool:
    """The README rule for the gold question's type."""
    return not failure_reason(gold, answer)


def score_turns(item: GoldItem, answers: Sequence[Mapping]) -> list[TurnScore]:
    """Each turn judged; a turn without an answer fails."""
    scores = []
    for index, gold in enumerate(item.turns):
        answer = answers[index] if index < len(answers) else {}
        reason = failure_reason(gold, answer) if answer else "没有回答"
        scores.append(TurnScore(item.id, gold, answer, not reason, reason))
    return scores


def item_passes(item: GoldItem, answers: Sequence[Mapping]) -> bool:
    """A single question passes by its rule; a conversation passes when every turn passes."""
    return all(score.passed for score in score_turns(item, answers))


# ---------------------------------------------------------------- aggregates


def citation_accuracy(scores: Iterable[TurnScore]) -> tuple[int, int]:
    """(matched, eligible) among correct answers whose gold has `cite`."""
    eligible = [s for s in scores if s.passed and s.gold.cite]
    matched = sum(cite_matches(citation_labels(s.answer), s.gold.cite) for s in eligible)
    return matched, len(eligible)


def not_found_precision(scores: Iterable[TurnScore]) -> tuple[int, int]:
    """(unanswerable, total) among answers of kind not_found."""
    declined = [s for s in scores if s.answer.get("kind") == "not_found"]
    return sum(s.gold.type == "unanswerable" for s in declined), len(declined)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100), linear between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def numeric_outcome(score: TurnScore) -> str:
    """'right', 'wrong' (a number that is not the gold figure) or 'unanswered', for a lookup or calc turn."""
    answer = score.answer
    if answer.get("kind") != "number" or answer.get("value") is None:
        return "unanswered"
    return "right" if value_matches(answer.get("value"), answer.get("unit") or "", score.gold) else "wrong"


def scorecard(items: Sequence[GoldItem], predictions: Mapping[str, Sequence[Mapping]]) -> Scorecard:
    """All figures for one pipeline from gold items and their answers (by gold id)."""
    by_type: dict[str, list[int]] = {}
    turn_scores: list[TurnScore] = []
    passed_items = 0
    for item in items:
        scores = score_turns(item, predictions.get(item.id, ()))
        turn_scores += scores
        passed = all(s.passed for s in scores)
        passed_items += passed
        counts = by_type.setdefault(item.type, [0, 0])
        counts[0] += passed
        counts[1] += 1
    cited = citation_accuracy(turn_scores)
    declined = not_found_precision(turn_scores)
    latencies = [float(s.answer["latency_ms"]) for s in turn_scores if s.answer.get("latency_ms") is not None]
    order = {t: n for n, t in enumerate(GOLD_TYPES)}
    outcomes = [numeric_outcome(s) for s in turn_scores if s.gold.type in ("lookup", "calc") and s.gold.values]
    return Scorecard(
        numeric_right=outcomes.count("right"),
        numeric_wrong=outcomes.count("wrong"),
        numeric_unanswered=outcomes.count("unanswered"),
        items=len(items),
        passed=passed_items,
        by_type={t: (c[0], c[1]) for t, c in sorted(by_type.items(), key=lambda kv: order.get(kv[0], 99))},
        citation_accuracy=_share(cited),
        citation_counts=cited,
        not_found_precision=_share(declined),
        not_found_counts=declined,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        failures=tuple(s for s in turn_scores if not s.passed),
        citation_misses=tuple(
            s for s in turn_scores
            if s.passed and s.gold.cite and not cite_matches(citation_labels(s.answer), s.gold.cite)
        ),
    )


# ---------------------------------------------------------------- helpers


def _share(counts: tuple[int, int]) -> float | None:
    hit, total = counts
    return hit / total if total else None


def _alternatives(entry: str) -> list[str]:
    return [alt for alt in (a.strip() for a in entry.split("|")) if alt]


def _fold(text: str) -> str:
    # Labels come from PDF text: blanks fall in odd places and quotes vary between “” and "".
    return _BLANKS.sub("", text).translate(_QUOTES)


def _unit(unit: str | None) -> str:
    return (unit or "").strip().replace("％", "%")


def _format_number(value: float) -> str:
    return format(value, ".12g")
