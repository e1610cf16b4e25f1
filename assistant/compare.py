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
# Words that set one year against another of the same unit: the change, its rate, each year's figure.
_PRIOR = re.compile(r"去年|上年|上一年|前一年")
_THIS = re.compile(r"今年|本年度?(?!收入|支出|结转)")
_CHANGE = re.compile(r"(多|少|增加|减少|增长|下降|变化|变动|相差|差)了?(多少|几)|增长率|增幅|降幅|变化率|增减|百分之几|几个百分点|%")
_RATE = re.compile(r"增长率|增幅|降幅|变化率|变动率|增长了?百分之几|下降了?百分之几|(增长|下降|增加|减少)了?(多少|几)%|百分之几")
_EACH = re.compile(r"分别|各是|各为|各年|每年|每一年|逐年|两年各")
# "年初结转和结余" against the previous year's "年末结转和结余": the carry-over that should match.
_CARRY = re.compile(r"年初结转(和结余)?")
_CARRY_PRIOR = re.compile(r"(上年|去年|上一年|前一年|\d{4}年)(度)?的?年末结转(和结余)?")


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
    relative = bool(_PRIOR.search(q) or _THIS.search(q))
    if years and named:
        dated = [r for r in named if r.year in years]
        if len(years) == 1 and not dated and not relative:
            return Scope(tuple(named), True, q)  # a year not ingested: compare_answers names the ones that are
        named = dated or named
    elif years:
        named = [r for r in records if r.year in years] if len(years) == 1 else []
    periods = bool(_WHICH_YEAR.search(q) or _BOTH_YEARS.search(q) or len(years) > 1
                   or (relative and (_CHANGE.search(q) or _EACH.search(q) or _CARRY_PRIOR.search(q))))
    if periods:
        # The same department across its years: the one it names, or the only one ingested.
        departments = {r.department for r in (named or records)}
        if len(departments) == 1:
            department = departments.pop()
            named = [r for r in records if r.department == department]
            if len(years) >= 2 and all(any(r.year == y for r in named) for y in years):
                named = [r for r in named if r.year in years]
    compare = bool(_RANK.search(q)) or len({r.department for r in named}) > 1 or bool(_YEAR_DIFF.search(q)) or (periods and len(named) > 1)
    if periods and len({r.department for r in named}) == 1 and len(named) >= 1 and (relative or years):
        compare = True  # one unit across years, even when only one of them is ingested (named in the answer)
    base = q
    for record in records:
        name = names_department(base, record)
        if name:
            base = base.replace(name, "")
    base = re.sub(_RANK, "", base)
    base = _BOTH_YEARS.sub("", _WHICH_YEAR.sub("", base))
    base = _SUM_WORDS.sub("", _MORE.sub("", base))
    base = re.sub(r"(今年|\d{4}年?)比(去年|上年|\d{4}年?)", "", base)
    base = re.sub(r"20\d{2}年度?的?|今年的?|本年度的?|(比|较|与|和)?(去年|上年|上一年|前一年)(相比|比)?的?", "", base)
    base = _EACH.sub("", base)
    base = re.sub(r"(增长率|增幅|降幅|变化率|变动率)(是|为)?(多少)?", "", base)
    base = re.sub(r"(多|少|增加|减少|增长|下降|变化|变动|相差|差)了?(多少|几)(%|万元)?|百分之几|几个百分点", "", base)
    for word in _MOST + _LEAST:
        base = base.replace(word, "")
    base = re.sub(r"(的|是|呢|？|\?|,|，)+$", "", base) or q
    if compare:
        chosen = named if len(named) > 1 or periods else records
        return Scope(tuple(chosen), True, base + ("是多少" if "多少" not in base else ""))
    if len(named) == 1:
        return Scope((named[0],), False, question)
    return None


def asked_years(question: str, records: list[ReportRecord]) -> list[int]:
    """The years a question about one unit names: printed years, 今年 (the latest), 去年/上年 (the one before)."""
    q = compact(question)
    ingested = sorted({r.year for r in records if r.year})
    years = sorted({int(y) for y in re.findall(r"(20\d{2})年", q)})
    latest = years[-1] if len(years) == 1 else (ingested[-1] if ingested else None)
    if _PRIOR.search(q) and latest:
        years = sorted(set(years) | {latest, latest - 1})
    elif _THIS.search(q) and latest and not years:
        years = [latest]
    if not years and (_BOTH_YEARS.search(q) or _CHANGE.search(q)):
        years = ingested[-2:] if "两" in q or _CHANGE.search(q) else ingested
    return years or ingested


def _amount(value: float, unit: str) -> str:
    """A figure as the report prints it: money and percents with two decimals ('448,061.80')."""
    if unit in ("万元", "元", "亿元", "%"):
        return f"{value:,.2f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def compare_answers(question: str, answers: list[tuple[ReportRecord, Answer]], ask=None) -> Answer:
    """One answer from each report's answer to the same question: ranked, with a citation per report.

    ask(question, record) → Answer asks one report another question (the previous year's 年末结转和结余).
    """
    if answers and len({r.department for r, _ in answers}) == 1:
        return across_years(question, answers, ask)
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


def across_years(question: str, answers: list[tuple[ReportRecord, Answer]], ask=None) -> Answer:
    """One unit's figure across the years a question names: each year's figure, the change and its rate,
    which year is more, their sum, or this year's 年初结转和结余 against last year's 年末 — every figure
    cited in its own report, years not ingested named with the ones that are."""
    q = compact(question)
    records = [r for r, _ in answers]
    department = records[0].department
    by_year = {r.year: (r, a) for r, a in answers if r.year}
    years = asked_years(question, records)
    missing = [y for y in years if y not in by_year]
    ingested = "、".join(f"{y}年" for y in sorted(by_year))
    note = f"没有导入{department}{'、'.join(f'{y}年' for y in missing)}的报告（已导入：{ingested}）。" if missing else ""
    present = [y for y in years if y in by_year]
    if _CARRY.search(q) and _CARRY_PRIOR.search(q) and ask is not None:
        return _carry_over(department, present, by_year, ask, note)
    values = []
    for year in present:
        record, answer = by_year[year]
        if answer.kind == "number" and answer.value is not None:
            unit = "万元" if answer.unit in ("元", "万元", "亿元") else answer.unit
            values.append((year, record, answer, to_wanyuan(answer.value, answer.unit) if unit == "万元" else answer.value, unit))
    two = bool(_SUM_WORDS.search(q) or _WHICH_YEAR.search(q) or _CHANGE.search(q) or _YEAR_DIFF.search(q))
    if not values or (two and len(values) < 2):
        found = "、".join(f"{y}年" for y, *_ in values)
        text = note + (f"只在{found}的报告中找到这个数字，无法跨年度比较。" if values
                       else "" if not present else "在这些年度的报告中都没有找到这个数字。")
        return Answer(kind="not_found", text=text, route=Route("not_found", "跨年度所需的年度或数字不全"))
    unit = values[0][4]
    citations = tuple(
        replace(c, label=f"{r.department}{y}年 · {c.label}") for y, r, a, _, _ in values for c in a.citations[:1]
    )
    name = _figure_name(values[0][2])
    listing = "；".join(f"{y}年{_amount(v, unit)}{unit}" for y, _, _, v, _ in values)
    if _CHANGE.search(q) or _YEAR_DIFF.search(q):
        (new, _, _, a, _), (old, _, _, b, _) = sorted(values, key=lambda v: -v[0])[:2]
        change = a - b
        up = change >= 0
        formula = f"{_amount(a, unit)} − {_amount(b, unit)} = {_amount(change, unit)}{unit}"
        text = (f"{department}{new}年{name}为{_amount(a, unit)}{unit}，{old}年为{_amount(b, unit)}{unit}，"
                f"{'增加' if up else '减少'}{_amount(abs(change), unit)}{unit}（{formula}）")
        value, answer_unit = round(abs(change), 4), unit
        if b:
            rate = (a - b) / b * 100
            rate_formula = f"({_amount(a, unit)} − {_amount(b, unit)}) ÷ {_amount(b, unit)} × 100% = {rate:.2f}%"
            text += f"，{'增长' if up else '下降'}{abs(rate):.2f}%（{rate_formula}）"
            if _RATE.search(q):
                value, answer_unit, formula = round(abs(rate) if re.search(r"下降|降幅|减少", q) or up else rate, 2), "%", rate_formula
        text = note + text + "。"
        stated = _stated_change(name, by_year[new][0], ask) if unit == "万元" and name else None
        if stated is not None:
            said, answer = stated
            gap = said - change
            text += (f"报告原文称{name}比上年{'增加' if said >= 0 else '减少'}{_amount(abs(said), unit)}{unit}"
                     f"（{answer.citations[0].label}，第{answer.citations[0].page}页）")
            text += ("，与两年表中数字算出的一致。" if abs(gap) < 0.005 else
                     f"，与两年表中数字算出的{_amount(change, unit)}{unit}相差{_amount(abs(gap), unit)}{unit}。")
            citations += tuple(replace(c, label=f"{department}{new}年 · {c.label}") for c in answer.citations[:1])
        return Answer(kind="number", text=text, value=value, unit=answer_unit, formula=formula, citations=citations,
                      route=Route("calculate", "同一部门两个年度相比"))
    if _SUM_WORDS.search(q):
        total = sum(v for *_, v, _ in values)
        formula = " + ".join(_amount(v, unit) for *_, v, _ in values) + f" = {_amount(total, unit)}{unit}"
        years_text = "、".join(f"{y}年" for y, *_ in values)
        text = note + f"{department}{years_text}{name}合计{_amount(total, unit)}{unit}（{formula}）。"
        return Answer(kind="number", text=text, value=round(total, 4), unit=unit, formula=formula, citations=citations,
                      route=Route("calculate", "同一部门各年度相加"))
    if _WHICH_YEAR.search(q):
        lowest = any(w in q for w in _LEAST + ("更少", "更低", "较少"))
        top_year, _, _, top_value, _ = sorted(values, key=lambda v: v[3], reverse=not lowest)[0]
        word = "少" if lowest else "多"
        text = note + f"{top_year}年更{word}，{name}为{_amount(top_value, unit)}{unit}。各年度：{listing}。"
        return Answer(kind="number", text=text, value=top_value, unit=unit, citations=citations,
                      route=Route("calculate", f"同一部门{len(values)}个年度比较"))
    # Each year's figure ("两年的…分别是多少", "2023年和2024年的…"), the latest first as the answer's value.
    latest = values[-1]
    text = note + f"{department}{name}：{listing}。"
    return Answer(kind="number", text=text, value=latest[3], unit=unit, citations=citations,
                  route=Route("lookup", f"同一部门{len(values)}个年度各自的数字"))


def _stated_change(name: str, record: ReportRecord, ask):
    """The later report's own words on the change ("教育支出增加52,499.75万元"): (signed figure, its answer)."""
    if ask is None:
        return None
    answer = ask(f"{name}比上年增加了多少", record)
    if answer.kind != "number" or answer.value is None or "报告写明" not in answer.route.reason or not answer.citations:
        return None
    value = to_wanyuan(answer.value, answer.unit)
    decrease = re.search(rf"{re.escape(name)}[^,，。;；]{{0,6}}(减少|下降)", compact(answer.text))
    return (-abs(value) if decrease else value), answer


def _figure_name(answer: Answer) -> str:
    """What the figure is, as the answer cited it ('教育支出'); '' when the citation names no row."""
    row = answer.citations[0].row if answer.citations else ""
    return re.sub(r"^[一二三四五六七八九十]+、", "", row)


def _carry_over(department: str, years: list[int], by_year, ask, note: str) -> Answer:
    """This year's 年初结转和结余 against the previous year's 年末结转和结余 (they should be the same figure)."""
    pairs = [(y, y - 1) for y in sorted(years, reverse=True) if y - 1 in by_year]
    if not pairs:
        ingested = "、".join(f"{y}年" for y in sorted(by_year))
        return Answer(kind="not_found", text=note or f"需要相邻两个年度的报告，已导入：{ingested}。",
                      route=Route("not_found", "缺少上一年度的报告"))
    new, old = pairs[0]
    start = ask("年初结转和结余是多少", by_year[new][0])
    end = ask("年末结转和结余是多少", by_year[old][0])
    if start.value is None or end.value is None:
        return Answer(kind="not_found", text=note + "没有在报告中找到年初或年末结转和结余。",
                      route=Route("not_found", "结转和结余不全"))
    a, b = to_wanyuan(start.value, start.unit), to_wanyuan(end.value, end.unit)
    difference = a - b
    formula = f"{_amount(a, '万元')} − {_amount(b, '万元')} = {_amount(difference, '万元')}万元"
    verdict = "两者一致" if abs(difference) < 0.005 else f"相差{_amount(abs(difference), '万元')}万元（{formula}）"
    text = (note + f"{department}{new}年年初结转和结余为{_amount(a, '万元')}万元，"
            f"{old}年年末结转和结余为{_amount(b, '万元')}万元，{verdict}。")
    citations = tuple(replace(c, label=f"{department}{y}年 · {c.label}") for y, ans in ((new, start), (old, end))
                      for c in ans.citations[:1])
    return Answer(kind="number", text=text, value=round(abs(difference), 4), unit="万元", formula=formula,
                  citations=citations, route=Route("calculate", "本年年初结转和结余与上年年末结转和结余相比"))


__all__ = ["Scope", "scope_of", "compare_answers", "across_years", "asked_years"]
