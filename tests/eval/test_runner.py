"""The eval runner over a tiny gold file, with fake pipelines (and the baseline with a fake embedder)."""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from assistant.errors import InvalidQuestion
from assistant.model import Answer, Candidate, Citation, Route
from eval.runner import main

GOLD = [
    {"id": "g1", "question": "本年收入合计是多少", "type": "lookup", "values": [809.69], "unit": "万元", "tol": 0.005,
     "cite": ["公开01表|收入支出决算总表"]},
    {"id": "g2", "question": "什么是基本支出", "type": "narrative", "must_include": ["正常运转"]},
    {"id": "g3", "question": "单位的局长是谁", "type": "unanswerable"},
    {"id": "g4", "type": "conversation", "turns": [
        {"question": "政企云项目预算是多少", "type": "lookup", "values": [92], "unit": "万元", "tol": 0.005},
        {"question": "实际执行了多少", "type": "lookup", "values": [79.4], "unit": "万元", "tol": 0.005},
    ]},
    {"id": "g5", "question": "住房公积金是多少", "type": "clarify", "values": [16.19, 37.47], "unit": "万元", "tol": 0.005},
]

TABLE_01 = Citation("公开01表 收入支出决算总表", 5, "本年收入合计 809.69")
ROUTE = Route("lookup", "问的是表中一行")

# The assistant answers g1, g2, g3, g4 right and misses one 住房公积金 reading: 4 of 5.
ASSISTANT_ANSWERS = {
    "本年收入合计是多少": Answer("number", "本年收入合计809.69万元。", ROUTE, 809.69, "万元", citations=(TABLE_01,)),
    "什么是基本支出": Answer("text", "基本支出是为保障机构正常运转……", Route("narrative", "问定义")),
    "单位的局长是谁": Answer("not_found", "报告中没有这一信息。", Route("not_found", "报告不含人名")),
    "政企云项目预算是多少": Answer("number", "92万元", ROUTE, 92.0, "万元"),
    "实际执行了多少": Answer("number", "79.4万元", ROUTE, 79.4, "万元"),
    "住房公积金是多少": Answer("clarify", "住房公积金有多处，请问是哪一个？", ROUTE, candidates=(
        Candidate("公开05表 住房公积金", 16.19, "万元", Citation("公开05表", 17)),
    )),
}
# The baseline gets only g1 right, and cites a page.
BASELINE_ANSWERS = {
    "本年收入合计是多少": Answer("number", "809.69万元", Route("lookup", "first figure"), 809.69, "万元",
                                  citations=(Citation("第5页", 5),)),
}


@dataclass(frozen=True)
class Ingested:
    report_id: str


class FakePipeline:
    """Answers from a table keyed by question; records what the runner did."""

    def __init__(self, answers: dict[str, Answer], *, fail_on: str = ""):
        self.answers = answers
        self.fail_on = fail_on
        self.ingested: list[Path] = []
        self.asked: list[tuple[str, str, int]] = []  # question, report, conversation id
        self.conversations = 0

    def ingest(self, path):
        self.ingested.append(Path(path))
        return Ingested("fake-report")

    def new_conversation(self):
        self.conversations += 1
        return {"number": self.conversations}

    def ask(self, question, *, report, conversation):
        self.asked.append((question, report, conversation["number"]))
        if question == self.fail_on:
            raise InvalidQuestion("问题无法理解")
        return self.answers.get(question, Answer("text", "不知道", Route("narrative", "fallback")))


@pytest.fixture
def gold(tmp_path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOLD), encoding="utf-8")
    return path


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 not read by the fakes")
    return path


def run(argv, **fakes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], factories={k: (lambda p=p: p) for k, p in fakes.items()}, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def without_latency(record: dict) -> dict:
    return {**record, "answers": [{k: v for k, v in a.items() if k != "latency_ms"} for a in record["answers"]]}


def test_predictions_file_holds_one_line_per_gold_item(gold, report, tmp_path):
    assistant = FakePipeline(ASSISTANT_ANSWERS)
    out = tmp_path / "out" / "pred.jsonl"
    status, _, _ = run([gold, "--report", report, "--pipeline", "assistant", "--predictions", out], assistant=assistant)

    assert status == 0
    lines = read_jsonl(out)
    def asked(question: str) -> dict:
        record = ASSISTANT_ANSWERS[question].to_dict(question=question)
        del record["latency_ms"]  # the runner's own measure replaces it
        return record

    assert [without_latency(line) for line in lines] == [
        {"id": "g1", "answers": [asked("本年收入合计是多少")]},
        {"id": "g2", "answers": [asked("什么是基本支出")]},
        {"id": "g3", "answers": [asked("单位的局长是谁")]},
        {"id": "g4", "answers": [asked("政企云项目预算是多少"), asked("实际执行了多少")]},
        {"id": "g5", "answers": [asked("住房公积金是多少")]},
    ]
    latencies = [a["latency_ms"] for line in lines for a in line["answers"]]
    assert len(latencies) == 6 and all(isinstance(ms, float) and ms >= 0 for ms in latencies)
    assert assistant.ingested == [report]
    # every question goes to the ingested report; the two turns of g4 share one conversation
    assert assistant.asked == [
        ("本年收入合计是多少", "fake-report", 1),
        ("什么是基本支出", "fake-report", 2),
        ("单位的局长是谁", "fake-report", 3),
        ("政企云项目预算是多少", "fake-report", 4),
        ("实际执行了多少", "fake-report", 4),
        ("住房公积金是多少", "fake-report", 5),
    ]


def test_table_shows_both_pipelines_side_by_side(gold, report, tmp_path):
    status, out, _ = run(
        [gold, "--report", report, "--predictions", tmp_path / "pred.jsonl"],
        assistant=FakePipeline(ASSISTANT_ANSWERS),
        baseline=FakePipeline(BASELINE_ANSWERS),
    )
    assert status == 0
    rows = {re.split(r"\s{2,}", line.strip())[0]: line for line in out.splitlines()}
    assert re.search(r"assistant\s+baseline", out.splitlines()[0])
    assert re.search(r"4/5\s+80\.0%\s+1/5\s+20\.0%", rows["总体准确率"])
    assert re.search(r"1/1\s+100\.0%\s+1/1\s+100\.0%", rows["查数 lookup"])
    assert re.search(r"0/1\s+0\.0%\s+0/1\s+0\.0%", rows["澄清 clarify"])
    assert re.search(r"1/1\s+100\.0%\s+0/1\s+0\.0%", rows["多轮 conversation"])
    # g1 is the only correct answer with a gold cite: the assistant names 公开01表, the baseline a page
    assert re.search(r"1/1\s+100\.0%\s+0/1\s+0\.0%", rows["引用准确率"])
    assert re.search(r"1/1\s+100\.0%\s+—", rows["未找到精确率"])
    assert "延迟 p50" in rows and "延迟 p95" in rows
    # the assistant's one failure with what was expected, what it got and the route
    failures = out.split("[assistant] 答错")[1].split("[baseline]")[0]
    assert "g5  住房公积金是多少" in failures
    assert "期望：候选 16.19、37.47 万元" in failures
    assert "得到：澄清：公开05表 住房公积金 16.19万元" in failures
    assert "未列出候选：37.47" in failures
    assert "路由：lookup：问的是表中一行" in failures
    assert "[baseline] 答对但引用不符 1 题" in out
    # both pipelines' predictions, and the reports next to them
    assert (tmp_path / "pred.jsonl").exists() and (tmp_path / "pred-baseline.jsonl").exists()
    page = (tmp_path / "tiny-report.html").read_text(encoding="utf-8")
    assert "<svg" in page
    assert not re.search(r"<script|<link|src=|@import", page)
    assert page.count("<rect") == 2 * 6 + 2  # overall + 5 types, two pipelines, plus the legend
    markdown = (tmp_path / "tiny-report.md").read_text(encoding="utf-8")
    assert "| 总体准确率 | 4/5  80.0% | 1/5  20.0% |" in markdown
    assert "| g5 | 住房公积金是多少 | 候选 16.19、37.47 万元 |" in markdown


@pytest.mark.parametrize(
    ("threshold", "status"),
    [("0.8", 0), ("0.81", 1), ("80", 0), ("95", 1)],
)
def test_exit_status_follows_the_assistants_accuracy(gold, report, tmp_path, threshold, status):
    result, _, err = run(
        [gold, "--report", report, "--predictions", tmp_path / "p.jsonl", "--min-accuracy", threshold],
        assistant=FakePipeline(ASSISTANT_ANSWERS),
        baseline=FakePipeline(BASELINE_ANSWERS),  # 20%: never what the threshold is checked against
    )
    assert result == status
    assert ("低于 --min-accuracy" in err) is (status == 1)


def test_missing_report_exits_2(gold, tmp_path):
    status, _, err = run([gold, "--report", tmp_path / "missing.pdf"], assistant=FakePipeline({}))
    assert status == 2
    assert "找不到报告文件" in err


def test_a_refusal_is_recorded_as_an_error_answer(gold, report, tmp_path):
    out = tmp_path / "p.jsonl"
    status, table, _ = run(
        [gold, "--report", report, "--pipeline", "assistant", "--predictions", out, "--min-accuracy", "0.8"],
        assistant=FakePipeline(ASSISTANT_ANSWERS, fail_on="本年收入合计是多少"),
    )
    assert status == 1
    first = read_jsonl(out)[0]["answers"][0]
    assert (first["kind"], first["text"], first["route"]) == ("error", "问题无法理解", {"kind": "invalid", "reason": "InvalidQuestion"})
    assert re.search(r"总体准确率\s+3/5\s+60\.0%", table)


# ---------------------------------------------------------------- the baseline itself


class CharacterEmbeddings(Embeddings):
    """Deterministic: a normalized bag of characters, so shared wording means similar vectors."""

    def embed_documents(self, texts):
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text):
        vector = [0.0] * 512
        for ch in text:
            vector[ord(ch) % 512] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


REPORT_TEXT = """一、收入支出决算总体情况说明
本年收入合计809.69万元，比上年增加184.88万元。

二、名词解释
基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。

三、政府采购支出情况
政府采购支出总额73.44万元，其中政府采购服务支出71.5万元。
"""


def test_baseline_answers_from_the_top_chunk(tmp_path):
    from eval.baseline import Baseline

    path = tmp_path / "report.txt"
    path.write_text(REPORT_TEXT, encoding="utf-8")
    baseline = Baseline(embeddings=CharacterEmbeddings(), chunk_size=60, chunk_overlap=0, top_k=2)
    summary = baseline.ingest(path)
    assert baseline.ingest(path) is summary  # idempotent
    assert (summary.report_id, summary.pages) == ("report", 1)

    income = baseline.ask("本年收入合计是多少", report="report", conversation=baseline.new_conversation())
    assert (income.kind, income.value, income.unit) == ("number", 809.69, "万元")
    assert income.citations[0].label == "全文" and income.citations[0].page is None
    assert income.latency_ms > 0

    definition = baseline.ask("什么是基本支出", report="report", conversation=baseline.new_conversation())
    assert definition.kind == "text"
    assert definition.text == "二、名词解释"  # naive: the first line of the best chunk, heading or not


def test_baseline_cites_pdf_pages():
    from assistant.settings import SAMPLE_REPORT
    from eval.baseline import Baseline

    if not SAMPLE_REPORT.exists():
        pytest.skip("sample report missing")
    baseline = Baseline(embeddings=CharacterEmbeddings())
    summary = baseline.ingest(SAMPLE_REPORT)
    assert summary.pages == 42 and summary.chunks > 42
    answer = baseline.ask("政企云执行率是多少", report=summary.report_id, conversation=baseline.new_conversation())
    (citation,) = answer.citations
    assert citation.label == f"第{citation.page}页" and 1 <= citation.page <= 42
