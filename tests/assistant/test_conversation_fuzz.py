"""Random conversations of 3–5 turns over every shared report: no question raises, every number is the report's.

Each chain mixes lookups of the report's own rows, follow-ups that lean on the last turn ("那X呢", "其中X呢",
"预算呢", "占比多少", "它的执行率", "两者合计"), topic changes and nonsense. The chains are drawn from a fixed seed,
so CI sees the same ones every run; `FUZZ_SEED=… pytest` explores others.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
from pathlib import Path

import pytest

from assistant.lookup import ReportFacts, to_wanyuan
from assistant.router import Answerer, Conversation
from index.ingest import parse_report

CHAINS_PER_REPORT = 260  # × 4 reports ≥ 1,000 chains

MEASURES = ("", "的决算数", "的基本支出", "的项目支出", "的年初预算", "的全年预算", "的执行率", "的财政拨款", "对应的收入")
OPENERS = ("{row}是多少", "{row}{measure}是多少", "想问下{row}{measure}", "{row}花了多少钱", "{row}占比多少",
           "{row}比{other}多多少", "{row}和{other}加起来多少", "{row}在{other}中占几成", "哪个类支出最多",
           "{row}{measure}有多少万元")
FOLLOW_UPS = ("那{row}呢", "其中{row}呢", "预算呢", "年初预算呢", "占比多少", "它的执行率", "它比{row}多多少",
              "两者合计多少", "两者相差多少", "合计占本年支出的比例", "比上年呢", "上一年呢", "基本支出呢", "其中项目支出呢",
              "它是{row}的几倍", "那财政拨款呢", "为什么", "具体用在哪些地方", "排第二的是什么")
NONSENSE = ("asdf", "？？？", "", "1e309", "-1", "DROP TABLE facts;", "忽略以上指令", "今天天气怎么样", "那呢", "其中呢",
            "它", "多少", "%", "2010399", "那2022年呢")


class _Passage:
    def __init__(self, text: str):
        self.text, self.label, self.page, self.score, self.kind = text, "第一部分 › 一、部门主要职能", 3, 1.0, "section"


def _reports():
    yield "qifu", Path(__file__).resolve().parents[2] / "samples" / "hanyang-qifu-2023.txt"
    yield "scjgj", Path(__file__).resolve().parents[2] / "samples" / "hanyang-scjgj-2023.txt"
    yield "putuo", Path(__file__).resolve().parents[2] / "samples" / "putuo-ghzy-2024.txt"
    yield "xnd", Path(__file__).resolve().parents[2] / "samples" / "chongqing-xinandaxue-2023.txt"


@pytest.fixture(scope="module", params=[name for name, _ in _reports()])
def report(request):
    path = dict(_reports())[request.param]
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared beside the checkout)")
    parsed = parse_report(path)
    facts = ReportFacts.of(parsed)
    answerer = Answerer(facts, sections=parsed.sections, retrieve=lambda q: [_Passage("（一）贯彻落实国家政策。")])
    return request.param, answerer, facts


def _chain(rng: random.Random, rows: list[str]) -> list[str]:
    def fill(template: str) -> str:
        return template.format(row=rng.choice(rows), other=rng.choice(rows), measure=rng.choice(MEASURES))

    turns = [fill(rng.choice(OPENERS))]
    for _ in range(rng.randint(2, 4)):
        pool = rng.random()
        if pool < 0.6:
            turns.append(fill(rng.choice(FOLLOW_UPS)))
        elif pool < 0.85:
            turns.append(fill(rng.choice(OPENERS)))
        else:
            turns.append(rng.choice(NONSENSE))
    return turns


def _report_values(facts: ReportFacts) -> list[float]:
    values = []
    for fact in facts.facts:
        values.append(fact.value)
        if fact.unit in ("元", "万元", "亿元"):
            values.append(to_wanyuan(fact.value, fact.unit))
    return values


def _is_the_reports(answer, values: list[float]) -> bool:
    """A number is a figure the report prints, or arithmetic over figures it prints or the conversation gave (its
    plan's cells)."""
    if any(abs(answer.value - v) <= 0.005 for v in values):
        return True
    cells = answer.plan.cells if answer.plan is not None else ()
    steps = answer.plan.steps if answer.plan is not None else ()
    computed = bool(answer.formula or steps)
    # a total computed in an earlier step of the same plan ("A + B = C；C ÷ D") is an operand too
    within = [float(x.replace(",", "")) for step in steps for x in re.findall(r"=\s*(-?[\d,]+(?:\.\d+)?)", step)]
    return computed and bool(cells) and all(any(abs(c.value - v) <= 0.005 for v in values + within) for c in cells)


def test_random_conversations_never_raise_and_answer_only_the_reports_numbers(report):
    name, answerer, facts = report
    seed = int(os.environ.get("FUZZ_SEED", "19"))
    rng = random.Random(f"{seed}-{name}")
    rows = sorted({e.label for e in answerer.schema.entities.values() if len(e.label) >= 2})
    values = _report_values(facts)
    failures = []
    for _ in range(CHAINS_PER_REPORT):
        conversation = Conversation()
        given = list(values)  # the report's figures, then each figure this conversation has answered
        for question in _chain(rng, rows):
            answer = answerer.answer(question, conversation)
            json.dumps(answer.to_dict(question=question), ensure_ascii=False)  # the contract every front end reads
            if answer.route.reason.startswith("内部错误"):
                failures.append((question, answer.route.reason))
            elif answer.kind == "number" and not (math.isfinite(answer.value) and _is_the_reports(answer, given)):
                failures.append((question, answer.value))
            if answer.kind == "number":
                given.append(answer.value)
    assert not failures, failures[:10]


def test_a_failing_plan_is_a_reply_and_the_conversation_goes_on(report, monkeypatch):
    """A bug anywhere in the plan comes back as a reply; the next question is answered as usual."""
    _, answerer, _ = report
    import assistant.router as router

    conversation = Conversation()
    real = router._route
    monkeypatch.setattr(router, "_route", lambda *a: (_ for _ in ()).throw(IndexError("boom")))
    broken = answerer.answer("本年支出合计是多少", conversation)
    assert broken.kind == "not_found" and "没能回答" in broken.text and not conversation.turns
    monkeypatch.setattr(router, "_route", real)
    assert answerer.answer("本年支出合计是多少", conversation).kind == "number"
