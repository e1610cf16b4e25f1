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


# --- one unit across years: the 2023 university report and a 2024 copy with its year and figures changed ---

from tests.conftest import UNIVERSITY_TXT  # noqa: E402

EDUCATION_2023, EDUCATION_2024 = 425287.27, 448061.80
CARRY_END_2023 = 106848.91


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    from dataclasses import replace as with_

    from assistant.settings import load_settings

    root = tmp_path_factory.mktemp("two-years")
    text = UNIVERSITY_TXT.read_text(encoding="utf-8")
    later = (
        text.replace("2023", "2024")
        .replace("425,287.27", "448,061.80")  # 教育支出 in 表1 and 表3: a figure ending in 0
        .replace("上年结转和结余\t93,660.54", "年初结转和结余\t106,848.91")  # as the 2024 report prints it
    )
    path = root / "xinandaxue-2024.txt"
    path.write_text(later, encoding="utf-8")
    assistant = Assistant(settings=with_(load_settings(), data_dir=root / "data"), index_passages=False)
    assistant.ingest(UNIVERSITY_TXT)
    assistant.ingest(path)
    yield assistant
    assistant.close()


def _cites_both_years(answer) -> bool:
    return {c.label.split(" · ")[0][-5:] for c in answer.citations} == {"2023年", "2024年"}


def test_each_years_figure_keeps_the_reports_precision(two_years):
    answer = two_years.ask("西南大学2023年和2024年的教育支出各是多少")
    assert answer.kind == "number"
    assert "425,287.27" in answer.text and "448,061.80" in answer.text and "448062" not in answer.text
    assert _cites_both_years(answer)


def test_change_from_last_year_with_both_figures_and_citations(two_years):
    answer = two_years.ask("西南大学2024年教育支出比上年增加了多少")
    assert answer.value == pytest.approx(EDUCATION_2024 - EDUCATION_2023, abs=0.005)
    assert "448,061.80" in answer.text and "425,287.27" in answer.text and "22,774.53" in answer.text
    assert _cites_both_years(answer)


def test_growth_rate_against_the_year_before(two_years):
    answer = two_years.ask("西南大学教育支出较去年的增长率是多少")
    assert answer.unit == "%"
    assert answer.value == pytest.approx((EDUCATION_2024 - EDUCATION_2023) / EDUCATION_2023 * 100, abs=0.01)
    assert _cites_both_years(answer)


def test_which_year_is_more(two_years):
    answer = two_years.ask("西南大学哪一年的教育支出更多")
    assert answer.text.startswith("2024年更多") and answer.value == pytest.approx(EDUCATION_2024)
    answer = two_years.ask("西南大学哪一年的科学技术支出更少")
    assert answer.kind == "number" and "2,536.65" in answer.text


def test_opening_carry_over_against_last_years_closing(two_years):
    answer = two_years.ask("西南大学2024年的年初结转和结余与上年年末结转和结余对得上吗")
    assert answer.kind == "number" and "一致" in answer.text
    assert answer.value == pytest.approx(0.0, abs=0.005)
    assert f"{CARRY_END_2023:,.2f}" in answer.text and _cites_both_years(answer)


def test_a_year_not_ingested_is_named_with_the_years_that_are(two_years):
    answer = two_years.ask("西南大学2021年的教育支出是多少")
    assert answer.kind == "not_found"
    assert "2021年" in answer.text and "2023年、2024年" in answer.text
    answer = two_years.ask("西南大学2021年教育支出比上年增加了多少")
    assert answer.kind == "not_found" and "2023年、2024年" in answer.text


def test_the_reports_own_stated_change_is_cited_and_set_against_the_computed_one(two_years):
    """The 2024 copy keeps the 2023 narrative ("教育支出增加52,499.75万元"): its words differ from the tables."""
    answer = two_years.ask("西南大学今年的教育支出较上年增长了多少")
    assert answer.value == pytest.approx(EDUCATION_2024 - EDUCATION_2023, abs=0.005)
    assert "报告原文称教育支出比上年增加52,499.75万元" in answer.text
    assert f"相差{52499.75 - (EDUCATION_2024 - EDUCATION_2023):,.2f}万元" in answer.text
    assert len(answer.citations) == 3


def test_opening_balance_printed_as_last_years_carry_over_is_the_same_row(two_years):
    """2023 prints "上年结转和结余" where 2024 prints "年初结转和结余": both are the opening balance."""
    answer = two_years.ask("西南大学2023年年初结转和结余与去年年末结转和结余是否一致")
    assert answer.kind == "not_found" and "2022年" in answer.text  # the year before 2023 is not ingested
    answer = two_years.ask("西南大学两年的年初结转和结余分别是多少")
    assert "93,660.54" in answer.text and "106,848.91" in answer.text
