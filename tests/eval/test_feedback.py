"""eval/feedback.py: the web chat's 👍/👎 marks become a draft gold set the runner can read."""

from __future__ import annotations

import io
import json

import pytest

from eval.feedback import draft_line, figure, main
from eval.metrics import load_gold
from eval.runner import main as eval_main


def _mark(id_, question, *, liked, answer="", correction="", context=()):
    return {"id": id_, "question": question, "report": "某局2023年", "answer": answer, "liked": liked,
            "correction": correction, "context": list(context)}


@pytest.mark.parametrize(
    "text, expected",
    [("264.87万元", (264.87, "万元")), ("应为 86.3%", (86.3, "%")), ("1,234.5 元", (1234.5, "元")),
     ("12", (12.0, "")), ("307.82 或 264.87", None), ("不知道", None)],
)
def test_figure_reads_the_one_figure_of_a_short_answer(text, expected):
    assert figure(text) == expected


def test_a_correction_after_thumbs_down_wins_and_the_draft_is_valid_gold(tmp_path):
    feedback = tmp_path / "feedback.jsonl"
    marks = [
        _mark("a1", "一般公共服务支出是多少", liked=False, answer="307.82万元"),
        _mark("a1", "一般公共服务支出是多少", liked=False, answer="307.82万元", correction="264.87万元"),
        _mark("b2", "政企云执行率是多少", liked=True, answer="86.3%"),
        _mark("c3", "局长是谁", liked=False, answer="…", correction="报告里没有"),
        _mark("d4", "其中基本支出呢", liked=True, answer="531.51万元", context=["本年支出合计是多少"]),
        _mark("e5", "主要职能有哪些", liked=False, answer="…"),
    ]
    feedback.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in marks), encoding="utf-8")
    out, draft = io.StringIO(), tmp_path / "draft.jsonl"
    assert eval_main(["--from-feedback", str(feedback), "-o", str(draft)], stdout=out) == 0
    items = {item.id: item for item in load_gold(draft)}
    assert set(items) == {"fb-a1", "fb-b2", "fb-c3"}
    assert items["fb-a1"].turns[0].values == (264.87,) and items["fb-a1"].turns[0].unit == "万元"
    assert items["fb-b2"].turns[0].values == (86.3,) and items["fb-c3"].type == "unanswerable"
    report = out.getvalue()
    assert "3 道草稿题（2 道来自 👎 的更正）" in report
    assert "其中基本支出呢" in report and "追问" in report and "主要职能有哪些" in report


def test_a_follow_up_is_left_for_review():
    assert draft_line(_mark("x", "那项目支出呢", liked=True, answer="12万元", context=["基本支出是多少"])) is None


def test_an_unreadable_feedback_file_exits_2(tmp_path):
    bad = tmp_path / "feedback.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    err = io.StringIO()
    assert main([str(bad)], stderr=err) == 2 and "第1行" in err.getvalue()
