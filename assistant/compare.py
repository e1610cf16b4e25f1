"""Questions across reports: which department spends most, how this year compares with last year."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant import calculator
from assistant.lookup import _department_aliases, to_wanyuan
from assistant.model import Answer, Route
from assistant.query import abbreviation_of
from index.normalize import compact
from index.store import ReportRecord

_RANK = re.compile(r"(哪个|哪些|哪一个|各个?|所有|每个)(部门|单位)|排名|排序|对比|比较")
_MOST = ("最多", "最高", "最大")
_LEAST = ("最少", "最低", "最小")
_YEAR_DIFF = re.compile(r"(今年|\d{4}年?)比(去年|上年|\d{4}年?).*?(多|少|增加|减少|增长|下降)")
# Periods: "哪一年的X更多", "两年的X加起来", "2023年和2024年的X".
_WHICH_YEAR = re.compile(r"哪一?年(度)?的?|哪个年度的?")
_BOTH_YEARS = re.compile(r"(这)?两(个)?年(度)?的?|各年(度)?的?|历年的?|\d{4}年?[和与及、]\d{4}年(度)?的?")
_SUM_WORDS = re.compile(r"加起来|加在一起|合计|一共|总共|之和|总和|相加")
_MORE = re.compile(r"更多|更高|更大|多一些|较多|更少|更低|较少|少一些|多$")


@dataclass(frozen=True)
class Scope:
    """The reports a question is about, and whether it compares them."""

    records: tuple[ReportRecord, ...]
    compare: bool
    base_question: str


def department_names(record: ReportRecord) -> tuple[str, ...]:
    """Ways a question may name a department: full name, without the city or district."""
    return tuple(n for n in _department_aliases(record.department) if len(n) >= 3)


def names_department(question: str, record: ReportRecord) -> str:
    """The words of the question that name this report's department ('' if none).

    Besides the full and shortened names, an abbreviation counts when its characters appear in
    order in the name and it starts and ends like it: 文旅局 → 文化和旅游局, 市场监管局 → 市场监督管理局.
    """
    for name in department_names(record):
        if name in question:
            return name
    return abbreviation_of(question, min(department_names(record), key=len, default=""))


def scope_of(question: str, records: list[ReportRecord]) -> Scope | None:
    """Which reports the question names (department and year), and whether it compares them."""
    q = compact(question)
    named = [record for record in records if names_department(q, record)]
    years = {int(y) for y in re.findall(r"(20\d{2})年", q)}
    if years and named:
        dated = [r for r in named if r.year in years]
        named = dated or named
    elif years:
        named = [r for r in records if r.year in years] if len(years) == 1 else []
    periods = bool(_WHICH_YEAR.search(q) or _BOTH_YEARS.search(q) or len(years) > 1)
    if periods:
        # The same department across its years: the one it names, or the only one ingested.
        departments = {r.department for r in (named or records)}
        if len(departments) == 1:
            department = departments.pop()
            named = [r for r in records if r.department == department and (len(years) < 2 or r.year in years)]
    compare = bool(_RANK.search(q)) or len({r.department for r in named}) > 1 or bool(_YEAR_DIFF.search(q)) or (periods and len(named) > 1)
    base = q
    for record in records:
        name = names_department(base, record)
        if name:
            base = base.replace(name, "")
    base = re.sub(_RANK, "", base)
    base = _BOTH_YEARS.sub("", _WHICH_YEAR.sub("", base))
    base = _SUM_WORDS.sub("", _MORE.sub("", base))
    base = re.sub(r"(今年|\d{4}年?)比(去年|上年|\d{4}年?)", "", base)
    base = re.sub(r"(多|少|增加|减少|增长|下降)了?(多少|几)$", "", base)
    for word in _MOST + _LEAST:
        base = base.replace(word, "")
    base = re.sub(r"(的|是|呢|？|\?)+$", "", base) or q
    if compare:
        chosen = named if len(named) > 1 else records
        return Scope(tuple(chosen), True, base + ("是多少" if "多少" not in base else ""))
    if len(named) == 1:
        return Scope((named[0],), False, question)
    return None


def compare_answers(question: str, answers: list[tuple[ReportRecord, Answer]]) -> Answer:
    """One answer from each report's answer to the same question: ranked, with a citation per report."""
    numbers = [(r, a) for r, a in answers if a.kind == "number" and a.value is not None]
    if not numbers:
        return Answer(
            kind="not_found",
            text="在所选的报告中都没有找到这个数字。",
            route=Route("not_found", f"跨{len(answers)}份报告均未找到"),
        )
    unit = "万元" if numbers[0][1].unit in ("元", "万元", "亿元") else numbers[0][1].unit
    values = [(r, a, to_wanyuan(a.value, a.unit) if unit == "万元" else a.value) for r, a in numbers]
    q = compact(question)
    citations = tuple(
        replace(c, label=f"{r.department}{r.year}年 · {c.label}") for r, a, _ in values for c in a.citations[:1]
    )
    year_diff = _YEAR_DIFF.search(q)
    if year_diff and len(values) == 2 and values[0][0].department == values[1][0].department:
        (new, _, a), (old, _, b) = sorted(values, key=lambda v: -(v[0].year or 0))
        calc = calculator.difference(a, b, unit)
        text = (
            f"{new.department}{new.year}年为{a:g}{unit}，{old.year}年为{b:g}{unit}，"
            f"{'增加' if calc.value >= 0 else '减少'}{abs(calc.value):g}{unit}（{calc.formula}）。"
        )
        return Answer(kind="number", text=text, value=abs(calc.value), unit=unit, formula=calc.formula,
                      citations=citations, route=Route("calculate", "同一部门两个年度相减"))
    same_department = len({r.department for r, _, _ in values}) == 1 and len(values) > 1
    if same_department and _SUM_WORDS.search(q):
        calc = calculator.total([v for _, _, v in values], unit)
        years = "、".join(f"{r.year}年" for r, _, _ in sorted(values, key=lambda v: v[0].year or 0))
        text = f"{values[0][0].department}{years}合计{calc.value:g}{unit}（{calc.formula}）。"
        return Answer(kind="number", text=text, value=calc.value, unit=unit, formula=calc.formula, citations=citations,
                      route=Route("calculate", "同一部门各年度相加"))
    if same_department and _WHICH_YEAR.search(q):
        lowest = any(w in q for w in _LEAST + ("更少", "更低", "较少"))
        ranked = sorted(values, key=lambda v: v[2], reverse=not lowest)
        top_record, _, top_value = ranked[0]
        listing = "；".join(f"{r.year}年{v:g}{unit}" for r, _, v in sorted(values, key=lambda v: v[0].year or 0))
        word = "少" if lowest else "多"
        text = f"{top_record.year}年更{word}，为{top_value:g}{unit}。各年度：{listing}。"
        return Answer(kind="number", text=text, value=top_value, unit=unit, citations=citations,
                      route=Route("calculate", f"同一部门{len(values)}个年度比较"))
    lowest = any(w in q for w in _LEAST)
    ranked = sorted(values, key=lambda v: v[2], reverse=not lowest)
    top_record, _, top_value = ranked[0]
    listing = "；".join(f"{r.department}（{r.year}年）{v:g}{unit}" for r, _, v in ranked)
    word = "最少" if lowest else "最多"
    text = f"{word}的是{top_record.department}（{top_record.year}年），为{top_value:g}{unit}。各报告：{listing}。"
    missing = [r.department for r, a in answers if a.kind != "number"]
    if missing:
        text += f"以下报告没有找到该数字：{'、'.join(missing)}。"
    return Answer(kind="number", text=text, value=top_value, unit=unit, citations=citations,
                  route=Route("calculate", f"跨{len(values)}份报告比较同一数字"))


__all__ = ["Scope", "scope_of", "compare_answers", "Citation"]
