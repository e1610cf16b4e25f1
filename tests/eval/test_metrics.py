"""The README scoring rules on hand-made answers: each case states the exact outcome."""

from __future__ import annotations

import json

import pytest

from eval.metrics import (
    GoldItem,
    GoldQuestion,
    answer_passes,
    cite_matches,
    citation_labels,
    convert_unit,
    failure_reason,
    item_passes,
    load_gold,
    numbers_in_text,
    percentile,
    scorecard,
)

INCOME = GoldQuestion("d02", "本年收入合计是多少", "lookup", (809.69,), "万元", 0.005, ("公开01表|收入支出决算总表",))
RATE = GoldQuestion("d01", "政企云执行率是多少", "lookup", (86.3,), "%", 0.05, ("政企云沟通畅联平台建设经费",))
SHARE = GoldQuestion("d10", "基本支出占本年支出的比例是多少", "calc", (65.7, 65.64), "%", 0.01)
LOWEST = GoldQuestion("d24", "哪个项目的执行率最低", "calc", (67.6,), "%", 0.05, (), ("残保金",))
DUTIES = GoldQuestion("d32", "主要职能有哪些", "narrative", must_include=("营商环境", "人员支出|人员经费"))
FUND = GoldQuestion("d45", "住房公积金是多少", "clarify", (16.19, 37.47), "万元", 0.005)
CARS = GoldQuestion("d31", "中心有几辆车", "lookup", (0,), "辆", 0.005)
CHIEF = GoldQuestion("d48", "单位的局长是谁", "unanswerable")


def number(value, unit, text="", citations=(), kind="number"):
    return {"kind": kind, "text": text, "value": value, "unit": unit, "candidates": [],
            "citations": [{"label": label, "page": 1} for label in citations]}


def text_answer(text, kind="text"):
    return {"kind": kind, "text": text, "value": None, "unit": "", "candidates": [], "citations": []}


def clarify(text, *candidates):
    return {"kind": "clarify", "text": text, "value": None, "unit": "", "citations": [],
            "candidates": [{"label": label, "value": value, "unit": unit, "citation": {"label": cite, "page": 1}}
                           for label, value, unit, cite in candidates]}


@pytest.mark.parametrize(
    ("gold", "answer", "reason"),
    [
        # right answer
        (INCOME, number(809.69, "万元"), ""),
        # wrong unit: the figure read as 元 is 0.08 万元; a percentage is no amount of money
        (INCOME, number(809.69, "元"), "数值不符"),
        (RATE, number(86.3, "万元"), "单位不符：万元，应为 %"),
        (INCOME, number(809.69, ""), "单位不符：无单位，应为 万元"),
        # 元 given for a 万元 gold passes once converted; so does 亿元
        (INCOME, number(8096900, "元"), ""),
        (INCOME, number(0.0809690, "亿元"), ""),
        # tolerance edges: 万元 tol 0.005, % tol 0.05 (the boundary itself is inside)
        (INCOME, number(809.694, "万元"), ""),
        (INCOME, number(809.696, "万元"), "数值不符"),
        (INCOME, number(809.684, "万元"), "数值不符"),
        (RATE, number(86.35, "%"), ""),
        (RATE, number(86.36, "%"), "数值不符"),
        (RATE, number(86.3, "％"), ""),
        # any accepted value will do (rounded as stated, or as computed)
        (SHARE, number(65.64, "%"), ""),
        (SHARE, number(65.68, "%"), "数值不符"),
        # counts compare as stated whatever they are called
        (CARS, number(0, "个"), ""),
        (CARS, number(0, ""), ""),
        # no value at all
        (INCOME, text_answer("本年收入合计809.69万元"), "没有数值（kind=text）"),
        # must_include on a calc answer
        (LOWEST, number(67.6, "%", "残保金项目执行率最低，为67.6%"), ""),
        (LOWEST, number(67.6, "%", "执行率最低为67.6%"), "正文缺少：残保金"),
        # narrative: every entry, alternatives with |
        (DUTIES, text_answer("优化营商环境……人员经费"), ""),
        (DUTIES, text_answer("优化营商环境……人员支出"), ""),
        (DUTIES, text_answer("优化营商环境"), "正文缺少：人员支出|人员经费"),
        # clarify: every accepted value in text or candidates
        (FUND, clarify("住房公积金有两处", ("公开05表", 16.19, "万元", "公开05表"), ("公开06表", 37.47, "万元", "公开06表")), ""),
        (FUND, clarify("公开06表为37.47万元", ("公开05表", 16.19, "万元", "公开05表")), ""),
        (FUND, clarify("公开05表为161900元，公开06表为374700元"), ""),
        (FUND, clarify("住房公积金", ("公开05表", 16.19, "万元", "公开05表")), "未列出候选：37.47"),
        (FUND, number(16.19, "万元", "住房公积金16.19万元"), "未列出候选：37.47"),
        # unanswerable: only not_found passes
        (CHIEF, text_answer("报告中没有写局长是谁。", kind="not_found"), ""),
        (CHIEF, number(0, "人"), "应答“未找到”，却答了 number"),
        (CHIEF, text_answer("局长是张三"), "应答“未找到”，却答了 text"),
    ],
)
def test_failure_reason(gold, answer, reason):
    assert failure_reason(gold, answer) == reason
    assert answer_passes(gold, answer) is (reason == "")


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        (1.0, "亿元", "万元", 10000.0),
        (12345.0, "元", "万元", 1.2345),
        (3.0, "万元", "元", 30000.0),
        (86.3, "%", "%", 86.3),
        (5.0, "人", "个", 5.0),
        (5.0, "", "辆", 5.0),
        (86.3, "%", "万元", None),
        (0.863, "", "%", None),
        (809.69, "", "万元", None),
    ],
)
def test_convert_unit(value, unit, target, expected):
    result = convert_unit(value, unit, target)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("labels", "cite", "matched"),
    [
        (["公开01表 收入支出决算总表"], ["公开01表|收入支出决算总表"], True),
        (["收入支出决算总表"], ["公开01表|收入支出决算总表"], True),
        (["公开 01 表 收入支出决算总表"], ["公开01表"], True),  # PDF blanks
        (['财政拨款"三公"经费支出决算表'], ["“三公”经费支出决算表"], True),  # quote styles
        (["公开02表 收入决算表"], ["公开01表|收入支出决算总表"], False),
        ([], ["公开01表"], False),
        # the label must contain the alternative, not the other way round
        (["公开01表"], ["公开01表 收入支出决算总表"], False),
        # every entry must be matched, each by some label
        (["公开05表 一般公共预算财政拨款支出决算表"], ["公开05表|公开03表", "公开06表"], False),
        (["公开05表 一般公共预算财政拨款支出决算表", "公开06表 基本支出决算明细表"], ["公开05表|公开03表", "公开06表"], True),
        (["第一页"], [], True),
    ],
)
def test_cite_matches(labels, cite, matched):
    assert cite_matches(labels, cite) is matched


def test_citation_labels_include_candidate_citations():
    answer = clarify("两处", ("公开05表", 16.19, "万元", "公开05表 一般公共预算财政拨款支出决算表"))
    answer["citations"] = [{"label": "公开06表 基本支出决算明细表", "page": 19}]
    assert citation_labels(answer) == ["公开06表 基本支出决算明细表", "公开05表 一般公共预算财政拨款支出决算表"]


def test_numbers_in_text():
    assert numbers_in_text("合计1,234.5万元，占比86.3％，共71人，2023年") == [
        (1234.5, "万元"), (86.3, "%"), (71.0, ""), (2023.0, ""),
    ]


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([10, 20, 30, 40], 50, 25.0), ([10, 20, 30, 40], 95, 38.5), ([7], 95, 7.0), ([30, 10, 20], 50, 20.0), ([], 50, None)],
)
def test_percentile(values, q, expected):
    assert percentile(values, q) == (pytest.approx(expected) if expected is not None else None)


CONVERSATION = GoldItem("d49", "conversation", (
    GoldQuestion("d49#1", "政企云项目预算是多少", "lookup", (92,), "万元", 0.005, ("政企云",)),
    GoldQuestion("d49#2", "实际执行了多少", "lookup", (79.4,), "万元", 0.005, ("政企云",)),
    GoldQuestion("d49#3", "那维稳解困金呢", "lookup", (40,), "万元", 0.005, ("维稳解困金",)),
))


@pytest.mark.parametrize(
    ("answers", "passed"),
    [
        ([number(92, "万元"), number(79.4, "万元"), number(40, "万元")], True),
        ([number(92, "万元"), number(79.4, "万元"), number(92, "万元")], False),  # last turn wrong
        ([number(92, "万元"), number(79.4, "万元")], False),  # a turn never answered
    ],
)
def test_conversation_passes_only_when_every_turn_passes(answers, passed):
    assert item_passes(CONVERSATION, answers) is passed


def one(gold: GoldQuestion) -> GoldItem:
    return GoldItem(gold.id, gold.type, (gold,))


def test_scorecard_exact_figures():
    items = [one(INCOME), one(RATE), one(DUTIES), one(FUND), one(CHIEF), one(CARS), CONVERSATION]
    predictions = {
        # correct, cites its table
        "d02": [{**number(809.69, "万元", citations=["公开01表 收入支出决算总表"]), "latency_ms": 10}],
        # correct, but no citation at all
        "d01": [{**number(86.3, "%"), "latency_ms": 20}],
        "d32": [{**text_answer("营商环境"), "latency_ms": 30}],  # misses 人员经费
        "d45": [{**clarify("", ("a", 16.19, "万元", "公开05表"), ("b", 37.47, "万元", "公开06表")), "latency_ms": 40}],
        "d48": [{**text_answer("未找到", kind="not_found"), "latency_ms": 50}],
        "d31": [{**text_answer("报告未提及车辆", kind="not_found"), "latency_ms": 60}],  # declined an answerable one
        "d49": [
            {**number(92, "万元", citations=["政企云沟通畅联平台建设经费项目绩效自评表"]), "latency_ms": 70},
            {**number(79.4, "万元", citations=["政企云沟通畅联平台建设经费项目绩效自评表"]), "latency_ms": 80},
            {**number(41, "万元", citations=["维稳解困金项目绩效自评表"]), "latency_ms": 90},
        ],
    }
    card = scorecard(items, predictions)
    assert (card.passed, card.items) == (4, 7)  # d02, d01, d45, d48
    assert card.accuracy == pytest.approx(4 / 7)
    assert card.by_type == {"lookup": (2, 3), "narrative": (0, 1), "clarify": (1, 1),
                            "unanswerable": (1, 1), "conversation": (0, 1)}
    # correct with cite: d02 (matched), d01 (no citation), d49#1 and d49#2 (matched)
    assert card.citation_counts == (3, 4)
    assert card.citation_accuracy == pytest.approx(0.75)
    assert [s.gold.id for s in card.citation_misses] == ["d01"]
    # not_found answers: d48 (unanswerable) and d31 (answerable)
    assert card.not_found_counts == (1, 2)
    assert card.not_found_precision == pytest.approx(0.5)
    assert card.latency_p50_ms == 50.0
    assert card.latency_p95_ms == pytest.approx(86.0)
    assert [s.gold.id for s in card.failures] == ["d32", "d31", "d49#3"]


def test_scorecard_without_eligible_answers_has_no_rates():
    card = scorecard([one(DUTIES)], {"d32": [text_answer("营商环境 人员经费")]})
    assert (card.passed, card.citation_accuracy, card.not_found_precision, card.latency_p50_ms) == (1, None, None, None)


def test_load_gold_reads_single_items_and_conversations(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a", "question": "本年收入合计是多少", "type": "lookup", "values": [809.69], "unit": "万元", "tol": 0.005,
         "cite": ["公开01表"]},
        {"id": "b", "type": "conversation", "turns": [
            {"question": "政企云项目预算是多少", "type": "lookup", "values": [92], "unit": "万元", "tol": 0.005},
            {"question": "那维稳解困金呢", "type": "lookup", "values": [40], "unit": "万元"},
        ]},
    ]) + "\n\n", encoding="utf-8")
    assert load_gold(path) == [
        GoldItem("a", "lookup", (GoldQuestion("a", "本年收入合计是多少", "lookup", (809.69,), "万元", 0.005, ("公开01表",)),)),
        GoldItem("b", "conversation", (
            GoldQuestion("b#1", "政企云项目预算是多少", "lookup", (92.0,), "万元", 0.005),
            GoldQuestion("b#2", "那维稳解困金呢", "lookup", (40.0,), "万元", 0.0),
        )),
    ]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "x", "question": "多少", "type": "lookup", "unit": "万元"}, "第1行：x：lookup 题需要 values"),
        ({"id": "x", "question": "多少", "type": "guess"}, "第1行：x：type 应为"),
        ({"id": "x", "type": "narrative"}, "第1行：x：缺少 question"),
        ({"id": "x", "type": "conversation", "turns": []}, "第1行：x：conversation 需要非空的 turns"),
    ],
)
def test_load_gold_names_the_bad_line(tmp_path, record, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_gold(path)


def test_shipped_dev_sets_load():
    from assistant.settings import PROJECT_ROOT

    folder = PROJECT_ROOT.parent / "shared" / "eval"  # shared/ lies beside the clone, here and in CI
    if not folder.exists():
        pytest.skip(f"no dev sets at {folder}")
    assert len(load_gold(folder / "dev.jsonl")) == 50
    assert len(load_gold(folder / "dev-scjgj-2023.jsonl")) == 30


def test_numeric_answers_are_counted_right_wrong_or_unanswered_apart():
    """A wrong figure stated with confidence is counted apart from an honest 'not in the report'."""
    items = [GoldItem("a", "lookup", (INCOME,)), GoldItem("b", "lookup", (RATE,)), GoldItem("c", "calc", (SHARE,)),
             GoldItem("d", "narrative", (DUTIES,))]
    answers = {"a": [number(809.69, "万元")], "b": [number(79.4, "%")], "c": [text_answer("报告中没有", kind="not_found")],
               "d": [text_answer("营商环境 人员经费")]}
    card = scorecard(items, answers)
    assert (card.numeric_right, card.numeric_wrong, card.numeric_unanswered) == (1, 1, 1)
