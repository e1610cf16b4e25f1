"""Several reports: questions that name a department, rank departments, or compare years."""

from __future__ import annotations

import pytest

from assistant.errors import UnknownReport
from assistant.service import Assistant
from bench.synthetic import make_report_text
from tests.conftest import QIFU_TXT


@pytest.fixture
def corpus(settings, tmp_path):
    assistant = Assistant(settings=settings, index_passages=False)
    assistant.ingest(QIFU_TXT)  # 武汉市汉阳区企业服务中心 2023, 本年收入合计 809.69
    for name, year, factor in (("武汉市汉阳区文化和旅游局", 2023, 3), ("武汉市汉阳区文化和旅游局", 2022, 2)):
        path = tmp_path / f"{year}-{factor}.txt"
        path.write_text(make_report_text(department=name, year=year, factor=factor), encoding="utf-8")
        assistant.ingest(path)
    return assistant


def test_question_names_its_report(corpus):
    answer = corpus.ask("文旅局2022年本年收入合计是多少")
    assert answer.value == pytest.approx(809.69 * 2, abs=0.01)
    answer = corpus.ask("汉阳区企业服务中心政企云执行率是多少")
    assert answer.value == 86.3


def test_rank_across_departments_cites_each_report(corpus):
    answer = corpus.ask("2023年哪个部门本年收入合计最多")
    assert answer.kind == "number"
    assert answer.value == pytest.approx(809.69 * 3, abs=0.01)
    assert "文化和旅游局" in answer.text.split("。")[0]
    assert len(answer.citations) == 2


def test_difference_between_years(corpus):
    answer = corpus.ask("文旅局今年比去年本年收入合计多多少")
    assert answer.value == pytest.approx(809.69, abs=0.01)
    assert len(answer.citations) == 2


def test_unscoped_question_asks_which_report(corpus):
    with pytest.raises(UnknownReport) as info:
        corpus.ask("本年收入合计是多少")
    assert "文化和旅游局" in str(info.value)


def test_reingest_is_idempotent(corpus):
    before = {r.id: corpus.store.counts(r.id) for r in corpus.reports()}
    corpus.ingest(QIFU_TXT)
    after = {r.id: corpus.store.counts(r.id) for r in corpus.reports()}
    assert before == after and len(after) == 3


@pytest.mark.parametrize(
    "question,value",
    [
        ("文旅局哪一年的基本工资更多", 27.71 * 3),  # 2023 (×3) over 2022 (×2)
        ("文旅局两年的基本工资加起来是多少", 27.71 * 5),
        ("文旅局2023年比2022年住房保障支出增加了多少", 16.19),
        ("文旅局2022年和2023年的项目支出合计", 278.18 * 5),
    ],
)
def test_periods_of_one_department(corpus, question, value):
    answer = corpus.ask(question)
    assert answer.kind == "number"
    assert answer.value == pytest.approx(value, abs=0.02)
    assert len(answer.citations) == 2
