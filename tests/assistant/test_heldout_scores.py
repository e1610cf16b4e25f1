"""Issue 19: the held-out sets in everyday wording (tests/data/heldout, built by eval/heldout.py from the cells).

Right ≥ 0.95 and wrong numbers ≤ 1% of the numeric questions on every shared report; the unanswerable items are
answered "not in the report". The sets were written before the assistant was run on them and are kept as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lookup import ReportFacts
from assistant.router import Answerer, Conversation
from eval.metrics import load_gold, numeric_outcome, score_turns

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"


def _score(answerer: Answerer, gold: Path) -> tuple[dict[str, int], list[str], list[str]]:
    counts = {"right": 0, "wrong": 0, "unanswered": 0}
    wrong, unanswerable_failed = [], []
    for item in load_gold(gold):
        conversation = Conversation()
        answers = [answerer.answer(t.question, conversation).to_dict(question=t.question) for t in item.turns]
        for score in score_turns(item, answers):
            if score.gold.type in ("lookup", "calc") and score.gold.values:
                outcome = numeric_outcome(score)
                counts[outcome] += 1
                if outcome == "wrong":
                    wrong.append(f"{item.id} {score.gold.question} → {score.answer['value']}")
            elif score.gold.type == "unanswerable" and not score.passed:
                unanswerable_failed.append(f"{item.id} {score.gold.question} → {score.answer['kind']}")
    return counts, wrong, unanswerable_failed


@pytest.mark.parametrize("report_name,fixture", [
    ("hanyang-qifu-2023", "qifu_pdf"), ("hanyang-scjgj-2023", "scjgj_pdf"), ("putuo-ghzy-2024", "putuo_pdf"),
    ("chongqing-xinandaxue-2023", "university_pdf"),
])
def test_everyday_wording_is_answered_and_never_with_a_wrong_number(report_name, fixture, request):
    report = request.getfixturevalue(fixture)
    answerer = Answerer(ReportFacts.of(report), sections=report.sections)
    counts, wrong, _ = _score(answerer, HELDOUT / f"{report_name}.jsonl")
    total = sum(counts.values())
    assert total >= 100
    assert counts["wrong"] <= 0.01 * total, wrong
    assert counts["right"] >= 0.95 * total, counts


@pytest.mark.parametrize("report_name,fixture", [
    ("hanyang-qifu-2023", "qifu_pdf"), ("hanyang-scjgj-2023", "scjgj_pdf"), ("putuo-ghzy-2024", "putuo_pdf"),
    ("chongqing-xinandaxue-2023", "university_pdf"),
])
def test_no_wording_of_any_batch_gets_a_wrong_number(report_name, fixture, request):
    """Batches b–f (five more wordings, each written without the assistant's words): however many are unanswered,
    none gets a wrong figure. Their right rates are recorded in tests/data/heldout/README.md, not asserted: d is
    the one still held out."""
    report = request.getfixturevalue(fixture)
    answerer = Answerer(ReportFacts.of(report), sections=report.sections)
    for batch in "bcdef":
        counts, wrong, _ = _score(answerer, HELDOUT / f"{report_name}-{batch}.jsonl")
        assert sum(counts.values()) >= 100 and counts["wrong"] == 0, (batch, wrong)
