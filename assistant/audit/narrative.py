"""Figures in the narrative (第三部分) against the tables: amounts, shares, growth, completion rates,
sums of listed parts, and the comparison words (大于/小于/持平/增加/减少…) a sentence uses for its own figures."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.audit.findings import (
    CheckKind,
    Finding,
    judge_amount,
    judge_percent,
    num,
    percent,
    severity_note,
)
from assistant.audit.projects import (
    is_project_item,
    project_money,
    project_table,
    project_tables,
    project_total,
)
from assistant.audit.view import (
    FISCAL_KINDS,
    FUND_PREFIX,
    ORDINAL,
    STANDARD_KINDS,
    ReportView,
    Source,
    cell_source,
    clean,
    column_parts,
    heading_core,
    item_title,
    prepare,
    title_core,
    wanyuan,
)
from index.mentions import section_label
from index.model import Fact, Section, Table
from index.normalize import compact, normalize
from index.vocabulary import MONEY_UNITS, to_wanyuan


_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(亿元|万元|元|%)")
_BOUNDARY = re.compile(r"[,;:、]|\((?:含|其中|包括)")
_CHANGE_VERB = re.compile(r"(增加|减少|增长|下降|降低|上升|节约|超支)$")
_LEADING = re.compile(r"^(其中|主要是|主要用于|主要|包括|以及|具体为|另外|和|及|即|含|分别为|分别是)+")
_TRAILING = re.compile(r"(为|是|达到|达|约|了|各|共计|共|合计为)$")
_LABEL = re.compile(r"(年初预算数?|全年预算数?|调整预算数?|预算数|支出决算数?|决算数|执行数)$")
_RATE = re.compile(r"(完成(全年|年初|调整|年度)?预算(数)?的?|执行率(为|达到|达)?)$")
_SHARE_TAIL = re.compile(r"(的)?(比重|比例)?(为|是)?$")
_GENERIC_ENTITIES = {"", "项目", "资金", "其中", "合计", "支出", "当年", "本年"}
_THREE_PUBLIC_ITEMS = ("公务用车购置及运行费", "因公出国(境)费", "公务用车购置费", "公务用车运行费", "公务接待费")
_MIN_SUFFIX = 4  # an alias shorter than this must match the whole subject ("奖金", "电费")


_Reading = tuple[float, tuple[Source, ...]]  # a value the tables give, with the cells it comes from


@dataclass
class _Figure:
    """One number with a unit in a sentence, and what the words around it say it is."""

    value: float  # 万元 for money, percentage points for %
    unit: str  # "万元" or "%"
    printed_unit: str  # the unit as printed: "元", "万元", "亿元" or "%"
    decimals: int
    role: str  # amount | change | prior | threshold | share | growth | rate | other
    subject: str  # the words naming it, cleaned
    label: str  # budget | actual | ""
    label_text: str  # "年初预算", "全年预算", "支出决算": what a 五(三) sum adds up
    entity: str  # what it is about, the label removed (inherited from context when empty)
    denominator: str  # for shares: the named whole ("" = the section's lead total)
    start: int
    end: int
    raw_start: int
    sentence: str  # as prepared for matching (no blanks or quotes)
    printed: str  # as printed, for the citation
    sentence_index: int
    section: Section
    resolved: _Reading | None = None  # the table value this figure restates

    @property
    def source(self) -> Source:
        return self.claim_source(self.raw_start)

    def claim_source(self, start: int) -> Source:
        """The sentence cited, with the words from `start` to the figure as the stated 'row'."""
        claim = re.sub(r"^\d+\.", "", self.sentence[start : self.end])
        return Source(section_label(self.section), claim, "", self.section.page, self.value, self.printed)

    @property
    def number(self) -> float:
        """The table's value where the figure restates a cell, else the figure as printed."""
        return self.resolved[0] if self.resolved else self.value

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.resolved[1] if self.resolved else (self.source,)

    @property
    def readings(self) -> list[_Reading]:
        """The table's value, and the figure as printed where it differs from the table (that difference is
        its own finding): a rate or a word computed from the printed figure is not a second finding."""
        out = [(self.number, self.sources)]
        if self.resolved and abs(self.resolved[0] - self.value) > 0.005:
            out.append((self.value, (self.source,)))
        return out


def _is_narrative(section: Section) -> bool:
    top = compact(section.heading_path[0]) if section.heading_path else ""
    # "第三部分 …决算情况说明"; a university's "三、决算报表说明"
    return top.startswith("第三部分") or "决算情况说明" in top or "决算报表说明" in top



def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence prepared for matching, sentence as printed) pairs."""
    printed = (s.strip() for line in _paragraphs(normalize(text)) for s in line.split("。"))
    return [(prepared, s) for s in printed if (prepared := prepare(s))]


def _paragraphs(text: str) -> list[str]:
    """Lines joined where a printed line broke a sentence ('…政府采购金额' + '(以合同签订为准)为 …')."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith("=== page"):
            continue
        if out and not re.search(r"[。:;!?]$", out[-1]) and not re.match(r"^(\d+[.、]|[(][一二三四五六七八九十]+[)])", line):
            out[-1] += line
        else:
            out.append(line)
    return out


def _parse_sentence(sentence: str, printed: str, index: int, section: Section, context_entity: str) -> list[_Figure]:
    figures: list[_Figure] = []
    entity = context_entity
    last_end = 0
    for m in _FIGURE.finditer(sentence):
        number, unit = m.group(1), m.group(2)
        value = float(number.replace(",", ""))
        if unit in MONEY_UNITS:
            value, unit = to_wanyuan(value, unit), "万元"
        decimals = len(number.split(".")[1]) if "." in number else 0
        before = sentence[last_end : m.start()]
        cut = max((b.end() for b in _BOUNDARY.finditer(before)), default=0)
        raw_start = last_end + cut
        raw = sentence[raw_start : m.start()]
        after = sentence[m.end() :]
        figure = _Figure(
            value=value, unit=unit, printed_unit=m.group(2), decimals=decimals, role="other", subject="", label="", label_text="",
            entity="", denominator="", start=m.start(), end=m.end(), raw_start=raw_start, sentence=sentence,
            printed=printed, sentence_index=index, section=section,
        )
        if unit == "%":
            _classify_percent(figure, raw)
        else:
            entity = _classify_amount(figure, raw, after, entity)
        figures.append(figure)
        last_end = m.end()
    return figures


def _classify_amount(figure: _Figure, raw: str, after: str, entity: str) -> str:
    """Set role, subject, label and entity of a money figure; return the entity for the next one."""
    if re.match(r"^\((含)\)|^(以上|以下|以内)", after):
        figure.role = "threshold"  # "单价 50 万元(含)以上": a threshold, not an amount
        return entity
    if after.startswith("相比"):
        figure.role = "prior"  # "与 2022 年度决算数 28.73 万元相比"
        return entity
    subject = _strip_subject(raw)
    if _CHANGE_VERB.search(subject):
        figure.role = "change"
        subject = _CHANGE_VERB.sub("", subject)
        subject = re.sub(r"^(与\d{4}年度?相比|相比)", "", subject)
        subject = re.sub(r"(比上年|较上年|同比|比\d{4}年度?)$", "", subject)
        figure.subject = figure.entity = _TRAILING.sub("", subject)
        return entity
    figure.role = "amount"
    figure.subject = subject
    label = _LABEL.search(subject)
    if label:
        text = label.group(1)
        figure.label = "budget" if "预算" in text else "actual"
        figure.label_text = text.removesuffix("数")
        own = subject[: label.start()].removesuffix("的")
        if own not in _GENERIC_ENTITIES:
            entity = own
        figure.entity = entity if own in _GENERIC_ENTITIES else own
    else:
        figure.entity = subject
    return entity


def _classify_percent(figure: _Figure, raw: str) -> None:
    subject = _strip_subject(raw)
    figure.subject = subject
    if "占" in subject:
        figure.role = "share"
        figure.denominator = _SHARE_TAIL.sub("", subject.rsplit("占", 1)[1]).removesuffix("的")
    elif _CHANGE_VERB.search(_TRAILING.sub("", subject)):
        figure.role = "growth"
    elif _RATE.search(subject):
        figure.role = "rate"


def _strip_subject(raw: str) -> str:
    subject = re.sub(r"\d{4}年(\d{1,2}月\d{1,2}日)?度?", "", raw)
    subject = re.sub(r"^截至", "", subject)
    subject = re.sub(r"^\d+\.", "", subject)
    subject = _LEADING.sub("", subject)
    previous = None
    while previous != subject:
        previous = subject
        subject = _TRAILING.sub("", subject)
    return subject


@dataclass(frozen=True)
class _Alias:
    name: str
    fact: Fact
    table: Table

    @property
    def general(self) -> bool:
        """Whether the name means this cell outside the table's own section too: totals and 类 do, '行政运行'
        may not, and a bare '本年收入' of a fiscal-money table means the department's 本年收入 elsewhere."""
        code, kind = self.fact.code, self.table.kind
        if len(code) == 3:
            return kind != "basic_expenditure_detail"
        if code:
            return False
        return kind not in FISCAL_KINDS or "财政拨款" in self.name or "预算" in self.name


class _Narrative:
    """Recompute every figure of 第三部分 that restates a table cell or a ratio of cells."""

    def __init__(self, report: ReportView):
        self.report = report
        self.sections = [s for s in report.sections if _is_narrative(s)]
        self.by_path = {s.heading_path: s for s in self.sections}
        self.aliases: dict[str, list[_Alias]] = {}  # table key → aliases
        for table in report.tables:
            if not self._readable(table):
                continue
            for fact in report.facts_of(table):
                for name in _aliases(fact, table):
                    self.aliases.setdefault(table.key, []).append(_Alias(name, fact, table))
        self.figures: dict[tuple, list[_Figure]] = {}
        for section in self.sections:
            context = item_title(section)
            figures: list[_Figure] = []
            for i, (sentence, printed) in enumerate(_sentences(section.text)):
                figures.extend(_parse_sentence(sentence, printed, i, section, context))
            self.figures[section.heading_path] = figures
        self.out: list[Finding] = []
        self.sums: dict[int, _Reading] = {}  # a stated total that is not its items' sum → that sum

    def _readable(self, table: Table) -> bool:
        """A standard table the audit could read (a table read as blank is not evidence)."""
        return table.kind in STANDARD_KINDS and not self.report.unread(table)

    def findings(self) -> list[Finding]:
        for section in self.sections:
            primary = self._primary(section)
            project = project_table(self.report, section)
            if project is not None:
                self._project(section, project)
            for figure in self.figures[section.heading_path]:
                # A project's paragraph speaks of the project, not of the 公开表 ('物资站人员经费 执行数').
                if figure.role == "amount" and project is None and not is_project_item(section):
                    self._amount(figure, primary)
            # A stated total that is not the sum of its items is judged first: rates use the sum.
            self._item_sums(section)
            for figure in self.figures[section.heading_path]:
                if figure.role == "share":
                    self._share(figure, primary)
                elif figure.role == "growth":
                    self._growth(figure, primary)
                elif figure.role == "rate":
                    self._rate(figure)
            self._item_coverage(section)
            self._budget_comparisons(section)
            self._listed_parts(section)
            self._repeated_words(section)
            self._unexplained_changes(section)
            self._stated_use(section)
        if not project_tables(self.report):
            self.out.extend(project_total(self.report, self._narrated_projects()))
        return self.out

    # which table a section describes: "二、收入决算情况说明" ↔ "2023 年度收入决算表"

    def _primary(self, section: Section) -> Table | None:
        if len(section.heading_path) < 2:
            return None
        core = heading_core(section.heading_path[1])
        for table in self.report.tables:
            if self._readable(table) and title_core(table.title) == core:
                return table
        return None

    # amounts

    def _candidates(
        self, name: str, primary: Table | None, *, budget: bool, every_reading: bool = False
    ) -> list[_Reading]:
        """Table cells a narrative name can restate: the section's own table first, then any 公开表
        (with every_reading, exact names in both, so that any of them may explain a ratio)."""
        if not name:
            return []
        if (primary is not None and primary.kind == "three_public") or "三公" in name:
            return self._three_public(name, budget)
        if budget:
            return []  # budgets are not in 公开01–08表
        own = [primary] if primary is not None else []
        every = [t for t in self.report.tables if self._readable(t)]
        # An exact name anywhere beats a name that merely ends the subject, which only the section's own
        # table may match ("物资站人员经费" is not 公开06表's 人员经费).
        found: list[_Alias] = []
        for scope, exact in ((own, True), (every, True), (own, False)):
            matches = self._alias_matches(name, scope, exact=exact, general=scope is every)
            found += [a for a in matches if a not in found]
            if found and (not every_reading or scope is every):
                break
        return [(wanyuan(a.fact), (cell_source(a.fact, a.table, a.fact.row),)) for a in found]

    def _alias_matches(self, name: str, tables: list[Table], *, exact: bool, general: bool) -> list[_Alias]:
        best: list[_Alias] = []
        best_len = 0
        for table in tables:
            for alias in self.aliases.get(table.key, []):
                if general and not alias.general:
                    continue
                n = len(alias.name)
                if alias.name == name or (not exact and _ends_with(name, alias.name)):
                    if n > best_len:
                        best, best_len = [alias], n
                    elif n == best_len:
                        best.append(alias)
        return best

    def _three_public(self, name: str, budget: bool) -> list[_Reading]:
        table = self.report.table("three_public")
        if table is None or self.report.unread(table):
            return []
        root = "预算数" if budget else "决算数"
        name = _three_public_key(name)
        item = next((i for i in _THREE_PUBLIC_ITEMS if i in name), "")
        if not item and "三公" not in name:
            return []
        out = []
        for fact in self.report.facts_of(table):
            parts = [_three_public_key(p) for p in column_parts(fact)]
            if root not in parts:
                continue  # budget and actual are the top or the bottom header row, by region
            rest = [p for p in parts if p != root and "三公" not in p]  # not the table's umbrella header
            # The item is the first item name of the path ('公务用车购置及运行费 › 小计' is the group's total).
            leaf = next((p for p in rest if p in _THREE_PUBLIC_ITEMS), "")
            if leaf == "公务用车购置及运行费" and rest[-1] not in ("小计", leaf):
                leaf = rest[-1] if rest[-1] in _THREE_PUBLIC_ITEMS else ""
            if (item and leaf == item) or (not item and rest == ["合计"]):
                out.append((wanyuan(fact), (cell_source(fact, table, fact.row, fact.column),)))
        return out

    def _amount(self, figure: _Figure, primary: Table | None) -> None:
        name = figure.entity if figure.label else figure.subject
        candidates = self._candidates(name, primary, budget=figure.label == "budget")
        if not candidates:
            if figure.label == "budget":
                self._blank_budget(figure, name)
            return
        verdicts = [(judge_amount(figure.value, figure.decimals, v), v, sources) for v, sources in candidates]
        agreeing = [v for v in verdicts if v[0] is None]
        if agreeing:
            figure.resolved = (agreeing[0][1], agreeing[0][2])
            return
        if figure.printed_unit != "万元" and self._unit_slip(figure, candidates):
            return
        severity, value, sources = min(verdicts, key=lambda v: abs(v[1] - figure.value))
        figure.resolved = (value, sources)
        self.out.append(
            Finding(
                severity, "narrative_amount", _subject_words(figure), figure.value, value, "万元",
                f"{num(figure.value)} ≠ {num(value)}", (figure.source,), sources,
                note=severity_note(severity, figure.decimals, value),
            )
        )

    def _unit_slip(self, figure: _Figure, candidates: list[_Reading]) -> bool:
        """'基本支出 531.51 元' where the table says 531.51 万元: the number is right, its unit is not."""
        printed = to_wanyuan(figure.value, "万元") / to_wanyuan(1.0, figure.printed_unit)  # the number as printed
        for value, sources in candidates:
            if abs(value) > 0.005 and judge_amount(printed, figure.decimals, value) is None:
                figure.resolved = (value, sources)
                self.out.append(
                    Finding(
                        "error", "narrative_unit", _subject_words(figure), printed, value, "万元",
                        f"{num(printed)} {figure.printed_unit} ≠ {num(value)} 万元", (figure.source,), sources,
                        note=f"数字与表中相同，但正文单位写作“{figure.printed_unit}”，表中单位为万元",
                    )
                )
                return True
        return False

    def _blank_budget(self, figure: _Figure, name: str) -> None:
        """A 三公 budget stated in the text (nonzero) while the table prints its budget cell blank."""
        table = self.report.table("three_public")
        if table is None or self.report.unread(table) or figure.value < 0.005:
            return
        item = next((i for i in _THREE_PUBLIC_ITEMS if i in _three_public_key(name)), "")
        if not item and "三公" not in name:
            return
        if not self.report.has_column(table, "预算数"):
            return
        column_blank = not any("预算数" in column_parts(f) for f in self.report.facts_of(table))
        where = "预算数一栏整栏空白" if column_blank else f"“{item or '合计'}”的预算数空白"
        quote = " ".join(c for r in table.rows[: table.header_rows + 1] for c in r.cells if c)
        cell = Source(table.label, item or "合计", "预算数", table.pages[0] if table.pages else None, None, quote)
        self.out.append(
            Finding(
                "error", "narrative_blank", _subject_words(figure), figure.value, None, "万元", "",
                (figure.source,), (cell,),
                note=f"正文写明 {num(figure.value)} 万元，但表中{where}",
            )
        )

    # shares, growth, rates

    def _share(self, figure: _Figure, primary: Table | None) -> None:
        numerator = self._numerator(figure)
        if numerator is None:
            return
        wholes = [w for w in self._wholes(figure, primary) if w[1] != numerator.sources]
        self._ratio(figure, "narrative_share", numerator, wholes, f"{numerator.subject or numerator.entity}占比")

    def _numerator(self, figure: _Figure) -> _Figure | None:
        """The amount just before '，占…': '基本支出 531.51 万元，占本年支出 65.7%'."""
        if not figure.subject.startswith("占"):
            return None
        previous = self._previous(figure, lambda f: f.role == "amount")
        if previous is None or previous.sentence_index != figure.sentence_index:
            return None
        between = figure.sentence[previous.end : figure.raw_start]
        return previous if re.fullmatch(r"[,;:]?", between) else None

    def _wholes(self, figure: _Figure, primary: Table | None) -> list[_Reading]:
        """What a share is of: the named total, or the lead figure of the enclosing section."""
        name = figure.denominator
        if not name:
            lead = self._lead(figure.section)
            return [(lead.number, lead.sources)] if lead else []
        wholes = []
        for candidate in dict.fromkeys((name, name.removesuffix("总额"), name.removesuffix("总数"))):
            wholes += self._candidates(candidate, primary, budget=False, every_reading=True)
        for other in self._section_figures(figure.section):
            if other.role != "amount" or not _before(other, figure):
                continue
            if _same_name(other.subject, name) or _same_name(other.entity, name):
                wholes.append((other.number, other.sources))
        if name.startswith("总") or name.endswith("总额"):
            # "占总支出的 83.94%" in a section about fiscal money: the total may be the section's own lead.
            lead = self._lead(figure.section)
            if lead is not None:
                wholes.append((lead.number, lead.sources))
        return wholes

    def _lead(self, section: Section) -> _Figure | None:
        """The first amount of the parent section ('支出 809.69 万元，主要用于以下方面：')."""
        parent = self.by_path.get(section.heading_path[:-1]) if item_title(section) else None
        for candidate in (parent, section):
            if candidate is None:
                continue
            amounts = [f for f in self._section_figures(candidate) if f.role == "amount" and f.label != "budget"]
            if candidate is section:
                amounts = amounts[:1] if amounts and amounts[0].sentence_index == 0 else []
            if amounts:
                return amounts[0]
        return None

    def _growth(self, figure: _Figure, primary: Table | None) -> None:
        change = self._previous(figure, lambda f: f.role == "change")
        if change is None or change.sentence_index != figure.sentence_index:
            return
        change_word = _direction_word(change.sentence[change.raw_start : change.start])
        rate_word = _direction_word(figure.sentence[figure.raw_start : figure.start])
        decrease = change_word in _DOWN
        prior = self._previous(change, lambda f: f.role == "prior")
        current = None
        if prior is not None and prior.sentence_index == change.sentence_index:
            current = self._previous(prior, lambda f: f.role == "amount" and f.label != "budget")
            if current is not None and current.sentence_index != prior.sentence_index:
                current = None
        if self._direction_words(change, figure, change_word, rate_word, current, prior):
            return  # a word contradicts the figures: one finding, not a cascade of wrong bases
        if prior is not None and prior.sentence_index == change.sentence_index:
            if current is not None:
                self._change_consistency(current, prior, change, decrease)
            bases = [(prior.value, (prior.source,))]
        else:
            bases = []
            for value, sources in self._currents(change, primary):
                base = value + change.value if decrease else value - change.value
                bases.append((base, sources))
        name = (change.entity or "") + ("降幅" if decrease else "增幅")
        self._ratio(figure, "narrative_growth", change, bases, name)

    def _direction_words(
        self, change: _Figure, rate: _Figure, change_word: str, rate_word: str,
        current: _Figure | None, prior: _Figure | None,
    ) -> bool:
        """'与上年 28.73 万元相比，增加 2.61 万元' while this year is 26.12; or '减少 … 增长 9.08%'.
        Returns whether a finding was made."""
        if not change_word or not rate_word:
            return False
        subject = f"{change.entity or (current.entity if current else '') or '支出'}的增减"
        if current is not None and prior is not None and abs(current.number - prior.value) > 0.005:
            went_down = current.number < prior.value
            if any((v < prior.value) != went_down for v, _ in current.readings if abs(v - prior.value) > 0.005):
                return False  # the words hold of the figure as printed, which is its own finding
            wrong = [w for w in dict.fromkeys((change_word, rate_word)) if (w in _DOWN) != went_down]
            if not wrong:
                return False
            expected = "减少/下降" if went_down else "增加/增长"
            sign = "<" if went_down else ">"
            self.out.append(
                Finding(
                    "error", "comparison_word", subject, current.number, prior.value, "万元",
                    f"{num(current.number)} {sign} {num(prior.value)}",
                    (change.claim_source(current.raw_start),), (*current.sources, prior.source),
                    note=f"正文写“{'”“'.join(wrong)}”，但本年 {num(current.number)} 万元{sign}上年 {num(prior.value)} 万元，应为“{expected}”",
                )
            )
            return True
        if (change_word in _DOWN) == (rate_word in _DOWN):
            return False
        self.out.append(
            Finding(
                "error", "comparison_word", subject, change.value, rate.value, "", "",
                (rate.claim_source(change.raw_start),), (),
                note=f"同一句先写“{change_word} {num(change.value)} 万元”，又写“{rate_word} {num(rate.value)}%”，增减方向相反",
            )
        )
        return True

    def _currents(self, change: _Figure, primary: Table | None) -> list[_Reading]:
        """This year's figure a change is measured against."""
        if change.entity:
            found = self._candidates(change.entity, primary, budget=False)
            if found:
                # … and this year's figure as the section prints it, where that differs from the table
                printed = [
                    (f.value, (f.source,)) for f in self._section_figures(change.section)
                    if f.role == "amount" and _before(f, change) and f.resolved and abs(f.value - f.number) > 0.005
                    and any(abs(f.number - v) < 0.005 for v, _ in found)
                ]
                return found + printed
            for other in reversed(self._section_figures(change.section)):
                if other.role == "amount" and _before(other, change) and _same_name(other.subject, change.entity):
                    return [(other.number, other.sources)]
        previous = self._previous(change, lambda f: f.role == "amount" and f.label != "budget")
        if previous is not None and previous.sentence_index == change.sentence_index:
            return [(previous.number, previous.sources)]
        return []

    def _change_consistency(self, current: _Figure, prior: _Figure, change: _Figure, decrease: bool) -> None:
        """'支出决算 26.12 万元 … 与上年 28.73 万元相比减少 2.61 万元': the change is the difference."""
        slack = 0.5 * 10 ** -min(current.decimals, prior.decimals, change.decimals) + 0.005
        for value, _ in current.readings:
            high, low = (prior.value, value) if decrease else (value, prior.value)
            if abs(high - low - change.value) <= slack:
                return
        high, low = (prior.value, current.number) if decrease else (current.number, prior.value)
        self.out.append(
            Finding(
                "error", "narrative_growth", f"{current.entity or current.subject}{'减少' if decrease else '增加'}额",
                change.value, round(high - low, 4), "万元", f"{num(high)} − {num(low)} = {num(high - low)}",
                (change.source,), (*current.sources, prior.source),
            )
        )

    def _rate(self, figure: _Figure) -> None:
        """'年初预算 A，全年预算数 B，支出决算 C，完成全年预算的 P%': C / B, from the same sentence."""
        same = [f for f in self._section_figures(figure.section) if f.sentence_index == figure.sentence_index]
        same = [f for f in same if f.start < figure.start]
        actual = next((f for f in reversed(same) if f.role == "amount" and f.label != "budget"), None)
        budgets = [f for f in same if f.role == "amount" and f.label == "budget"]
        if actual is None:
            return
        wholes: list[_Reading] = []
        if budgets:
            full = [f for f in budgets if "全年" in f.label_text]
            initial = [f for f in budgets if "年初" in f.label_text]
            budget = initial[-1] if "年初" in figure.subject and initial else (full or budgets)[-1]
            if not (actual.entity and budget.entity) or _same_name(actual.entity, budget.entity):
                wholes = self._readings(budget)
        if not wholes and actual.entity:
            # "公务用车运行费 23.68 万元，完成预算的 94.7%": the item's own budget is in 公开09表.
            wholes = self._three_public(actual.entity, budget=True)
        subject = f"{actual.entity or '支出'}完成预算的比例"
        if wholes and all(abs(w) < 0.005 for w, _ in wholes) and figure.value > 0:
            # "完成年初预算的 95%" of a budget of 0: no rate can be computed (a peer tool's rule).
            self.out.append(
                Finding(
                    "error", "narrative_rate", subject, figure.value, None, "%", f"{num(actual.number)} ÷ 0",
                    (figure.claim_source(actual.raw_start),), (*actual.sources, *wholes[0][1]),
                    note="预算数为 0，不能计算完成预算的比例",
                )
            )
            return
        self._ratio(figure, "narrative_rate", actual, wholes, subject)

    def _ratio(self, figure: _Figure, check: CheckKind, part: _Figure, wholes: list[_Reading], subject: str) -> None:
        """Compare a printed percentage with part / whole; any reading that agrees clears it."""
        verdicts = []
        for value, _ in part.readings:
            for whole, sources in wholes:
                computed = percent(value, whole)
                if computed is None:
                    continue
                verdicts.append((judge_percent(figure.value, figure.decimals, computed), computed, whole, sources))
        if not verdicts or any(v[0] is None for v in verdicts):
            return
        verdicts = verdicts[: len(wholes)] or verdicts  # the finding cites the table's reading of the part
        severity, computed, whole, sources = min(verdicts, key=lambda v: abs(v[1] - figure.value))
        start = part.raw_start if part.sentence is figure.sentence else figure.raw_start
        self.out.append(
            Finding(
                severity, check, subject, figure.value, computed, "%",
                f"{num(part.number)} ÷ {num(whole)} = {computed:.2f}%",
                (figure.claim_source(start),), (*part.sources, *sources),
                note=severity_note(severity, figure.decimals, computed),
            )
        )

    # "增加增加", "支出支出": a word printed twice in a row (a peer tool's rule; reduplications such as
    # "常常" are one character repeated and not matched)

    def _repeated_words(self, section: Section) -> None:
        for sentence, printed in _sentences(section.text):
            for m in _REPEATED.finditer(sentence):
                self.out.append(
                    Finding(
                        "warning", "wording", "正文中的重复用词", None, None, "", "",
                        (Source(section_label(section), m.group(0), "", section.page, None, printed),), (),
                        note=f"“{m.group(0)}”重复了“{m.group(1)}”，疑为笔误",
                    )
                )

    # "住房公积金(项)。主要用于：在职人员医疗保险": the use stated for a subject belongs to another subject
    # (a peer tool's rule). Only families whose uses are unmistakable are judged (USE_FAMILIES).

    def _stated_use(self, section: Section) -> None:
        title = item_title(section)
        own = [name for name, (subjects, _) in USE_FAMILIES.items() if any(w in title for w in subjects)]
        if len(own) != 1:
            return
        words = USE_FAMILIES[own[0]][1]
        text = prepare(section.text).replace("\n", "")
        for m in re.finditer(r"主要用于[:：]?([^。]*)", text):
            clause = m.group(1)
            if any(w in clause for w in words):
                continue
            others = [n for n, (_, ws) in USE_FAMILIES.items() if n != own[0] and any(w in clause for w in ws)]
            if not others:
                continue
            self.out.append(
                Finding(
                    "warning", "narrative_use", f"“{title}”的用途", None, None, "", "",
                    (Source(section_label(section), m.group(0)[:40], "", section.page, None, _sentence_at(text, m.start())),),
                    (),
                    note=f"说明的用途“{clause[:30]}”属于{others[0]}类支出，与科目“{title}”不符",
                )
            )

    # "与 2022 年度相比，减少 0.24 万元，下降 8.96%" with no 原因 in the next sentences (a peer tool's rule:
    # a change against last year is explained). A note, not an error: small changes often go unexplained.

    def _unexplained_changes(self, section: Section) -> None:
        text = prepare(section.text).replace("\n", "")
        for m in _CHANGE_VS_PRIOR.finditer(text):
            if "原因" in text[m.start() : m.end() + _REASON_REACH]:
                continue
            source = Source(section_label(section), m.group(0), "", section.page, None, _sentence_at(text, m.start()))
            self.out.append(
                Finding(
                    "info", "narrative_reason", "与上年相比的增减", None, None, "", "", (source,), (),
                    note=f"“{m.group(0)}”之后未说明增减原因",
                )
            )

    # 决算数大于/小于/等于/持平 预算数: the word against the figures just stated

    def _budget_comparisons(self, section: Section) -> None:
        figures = self._section_figures(section)
        for index, (sentence, printed) in enumerate(_sentences(section.text)):
            m = _BUDGET_COMPARISON.search(sentence)
            if not m:
                continue
            word = next(g for g in (m.group("word"), m.group("same")) if g)
            qualifier = m.group("which") or m.group("which2") or ""
            # The figures compared: this sentence's, else those of the one or two sentences before it.
            for scope in (index, index - 1, index - 2):
                actuals = [f for f in figures if f.sentence_index == scope and f.role == "amount" and f.label == "actual"]
                budgets = [f for f in figures if f.sentence_index == scope and f.role == "amount" and f.label == "budget"]
                if actuals and budgets:
                    break
            else:
                continue
            actual = actuals[-1]
            if qualifier:
                budgets = [b for b in budgets if qualifier in b.label_text] or budgets
            relation = _RELATION_OF[word]
            # Figures as the tables (or the items' sum) give them: a misprinted figure is its own finding.
            if any(_holds(actual.number, relation, value) for b in budgets for value, _ in self._readings(b)):
                continue
            budget = budgets[-1]
            truth = "=" if abs(actual.number - budget.number) < 0.005 else ("<" if actual.number < budget.number else ">")
            self.out.append(
                Finding(
                    "error", "comparison_word", f"{actual.entity or '支出'}决算数与预算数的比较", actual.number,
                    budget.number, "万元", f"{num(actual.number)} {truth} {num(budget.number)}",
                    (Source(section_label(section), m.group(0), "", section.page, None, printed),),
                    (actual.source, budget.source),
                    note=f"正文写“{m.group(0)}”，但决算数 {num(actual.number)} 万元{_WORD_OF[truth]}预算数 {num(budget.number)} 万元",
                )
            )

    # "总额 2319.21 万元，其中：货物 122.43 万元、工程 1387.72 万元、服务 809.07 万元": the parts listed
    # after 其中 never exceed the total; they may fall short of it (a list need not be complete).

    def _listed_parts(self, section: Section) -> None:
        by_sentence: dict[int, list[_Figure]] = {}
        for figure in self._section_figures(section):
            by_sentence.setdefault(figure.sentence_index, []).append(figure)
        for index, figures in by_sentence.items():
            sentence = figures[0].sentence
            for m in re.finditer(r"其中[:,]?", sentence):
                total = self._listed_total(by_sentence, index, sentence, m.start())
                if total is None:
                    continue
                following = re.search("其中", sentence[m.end() :])
                stop = m.end() + following.start() if following else len(sentence)
                parts = [
                    f for f in figures
                    if m.end() <= f.start and f.end <= stop and f.role == "amount" and f.unit == "万元"
                    and sentence[m.end() : f.start].count("(") == sentence[m.end() : f.start].count(")")
                ]
                if len(parts) < 2:
                    continue
                # A part that restates a table cell counts as the cell: a wrong part is its own finding.
                computed = sum(_part_value(f) for f in parts)
                slack = sum(0.5 * 10 ** -f.decimals for f in (*parts, total)) + 1e-9
                difference = computed - total.value
                if abs(difference) < 1e-6 or (difference < 0 and abs(difference) > slack):
                    continue  # equal, or a list of some of the parts only
                self.out.append(
                    Finding(
                        "rounding" if abs(difference) <= slack else "error", "narrative_sum",
                        f"{self._short(total.subject or total.entity)}与其中所列各项之和", total.value, round(computed, 4), "万元",
                        " + ".join(num(f.value) for f in parts) + f" = {num(computed)}",
                        (total.source,), tuple(f.source for f in parts),
                        note=f"相差 {abs(difference):.2f}" + ("" if abs(difference) <= slack else "，所列各项之和大于总数"),
                    )
                )

    def _short(self, subject: str) -> str:
        """A subject without the department's name or a parenthetical ('(以合同签订为准)')."""
        subject = re.sub(r"\([^)]*\)", "", subject)
        return subject.removeprefix(compact(self.report.identity.department)) or subject

    @staticmethod
    def _listed_total(by_sentence: dict[int, list[_Figure]], index: int, sentence: str, at: int) -> _Figure | None:
        """The amount a 其中 list breaks down: printed right before it, in this sentence or ending the last."""
        before = [f for f in by_sentence[index] if f.end <= at]
        if before:
            total = before[-1]
            if not re.fullmatch(r"[,;:]?", sentence[total.end : at]):
                return None
        elif re.fullmatch(r"[\d.、]*", sentence[:at]):
            previous = by_sentence.get(index - 1, [])
            if not previous or previous[-1].end != len(previous[-1].sentence):
                return None
            total = previous[-1]
        else:
            return None
        return total if total.role == "amount" and total.unit == "万元" else None

    # 五(三): each labelled total in the lead equals the sum over its numbered items

    def _item_sums(self, section: Section) -> None:
        children = [s for s in self.sections if s.heading_path[:-1] == section.heading_path and item_title(s)]
        if len(children) < 2:
            return
        lead = _labelled(self.figures[section.heading_path])
        if not lead:
            return
        parts = [_labelled(self.figures[c.heading_path]) for c in children]
        checks = []
        for label, total in lead.items():
            if all(label in p for p in parts):
                items = [p[label] for p in parts]
                computed = sum(f.value for f in items)
                slack = sum(0.5 * 10 ** -f.decimals for f in (*items, total)) + 1e-9
                checks.append((label, total, items, computed, abs(computed - total.value) <= slack))
        # The items must cover the whole: at least one label has to add up, or a missing class explains it.
        if not any(ok for *_, ok in checks):
            return
        for label, total, items, computed, ok in checks:
            if ok:
                continue
            # The items' sum is another reading of the total: a rate or a comparison word that holds of it
            # is not a second finding (which of the total and an item is misprinted, the reader decides).
            self.sums[id(total)] = (computed, tuple(f.source for f in items))
            rates = [
                f for f in self._section_figures(section)
                if f.role == "rate" and f.sentence_index == total.sentence_index
                and (label in f.subject or not re.search("年初|全年|调整", f.subject))
            ]
            rates_note = "；" + "、".join(f"“{f.subject}{num(f.value)}%”" for f in rates) + "按此总数计算" if rates else ""
            self.out.append(
                Finding(
                    "error", "narrative_sum", f"{total.entity or ''}{label}数".replace("数数", "数"),
                    total.value, round(computed, 4), "万元",
                    " + ".join(num(f.value) for f in items) + f" = {num(computed)}",
                    (total.source,), tuple(f.source for f in items),
                    note=f"相差 {abs(computed - total.value):.2f}{rates_note}",
                )
            )

    def _readings(self, figure: _Figure) -> list[_Reading]:
        """A budget figure as printed (or as its table gives it), and as its items add up when they do not."""
        readings = [(figure.number, figure.sources)]
        if id(figure) in self.sums:
            readings.append(self.sums[id(figure)])
        return readings

    # 五(三) 具体情况: each row of the table at the level the items describe (类, or 项) has its item
    # (a peer tool's rule: "每个类/款/项均应在具体情况中说明")

    def _item_coverage(self, section: Section) -> None:
        children = [s for s in self.sections if s.heading_path[:-1] == section.heading_path and item_title(s)]
        table = self._primary(section)
        if len(children) < 2 or table is None or table.kind not in ("general_budget_expenditure", "fiscal_expenditure", "expenditure"):
            return
        rows: dict[str, Fact] = {}
        for fact in self.report.facts_of(table):
            if fact.code and abs(fact.value) > 0.005 and column_parts(fact)[-1] in ("小计", "合计", "本年支出合计"):
                rows.setdefault(fact.code, fact)
        names = {code: clean(fact.row) for code, fact in rows.items()}
        # An item names its row in its title, or in the words that continue a title cut at a line's end.
        titles = [clean(item_title(c)) + clean(prepare(c.text)[:40]) for c in children]
        covered: set[str] = set()
        for title in titles:
            matches = [code for code, name in names.items() if name in title]
            if len(matches) > 1:  # a 项 named like its 款: the 项; '行政运行' of several 款: the 款 named
                deepest = max(len(c) for c in matches)
                matches = [c for c in matches if len(c) == deepest]
                if len(matches) > 1:
                    matches = [c for c in matches if names.get(c[:5], "") in title]
            covered.update(matches)
        # The level the items describe: the deepest they name (an item that matched only its 款 is one
        # whose 项 is named otherwise, which is what this check reports).
        level = max((len(code) for code in covered), default=0)
        if sum(len(code) == level for code in covered) < 2:
            return  # the items are not rows of the table
        for code, fact in rows.items():
            if len(code) != level or code in covered:
                continue
            self.out.append(
                Finding(
                    "warning", "narrative_item", f"“{names[code]}”（{code}）未在具体情况中说明", None, None, "", "",
                    (Source(section_label(section), "", "", section.page, None, section.heading_path[-1]),),
                    (cell_source(fact, table, fact.row, fact.column),),
                    note=f"{table.key}列有此科目 {fact.value:.2f} 万元，具体情况的逐项说明中没有以此名称说明它（若用了别的名称，名称与表不一致）",
                )
            )

    # 十三(三): a project's 预算数 and 执行数 in the narrative against its 自评表

    def _project(self, section: Section, table: Table) -> None:
        money = project_money(self.report, table)
        for figure in self.figures[section.heading_path]:
            if figure.role != "amount" or not figure.label:
                continue
            column = "预算数" if figure.label == "budget" else "执行数" if "执行" in figure.label_text else ""
            fact = money.get(column)
            if fact is None:
                continue
            # The paragraph restates the table: its rate is recomputed from the table's amounts.
            figure.resolved = (fact.value, (cell_source(fact, table, fact.row, fact.column),))
            severity = judge_amount(figure.value, figure.decimals, fact.value)
            if severity is None:
                continue
            self.out.append(
                Finding(
                    severity, "project_amount", f"“{table.project or table.title}”{column}", figure.value, fact.value,
                    "万元", f"{num(figure.value)} ≠ {num(fact.value)}", (figure.source,),
                    (cell_source(fact, table, fact.row, fact.column),),
                    note=severity_note(severity, figure.decimals, fact.value),
                )
            )

    def _narrated_projects(self) -> list[tuple[float, Source]]:
        """Without 项目绩效自评表: each 自评综述 paragraph's 执行数, when they are all the projects the
        lead paragraph counts ('共涉及 9 个一级项目')."""
        for lead in self.sections:
            items = [s for s in self.sections if s.heading_path[:-1] == lead.heading_path and is_project_item(s)]
            count = re.search(r"共涉及(\d+)个", prepare(lead.text))
            if not items or not count or int(count.group(1)) != len(items):
                continue
            spent = [_labelled(self._section_figures(item)).get("执行") for item in items]
            if all(spent):
                return [(f.value, f.source) for f in spent]
        return []

    # helpers

    def _section_figures(self, section: Section) -> list[_Figure]:
        return self.figures.get(section.heading_path, [])

    def _previous(self, figure: _Figure, accept: Callable[[_Figure], bool]) -> _Figure | None:
        figures = self._section_figures(figure.section)
        i = next(i for i, f in enumerate(figures) if f is figure)
        return next((f for f in reversed(figures[:i]) if accept(f)), None)


_CHANGE_VS_PRIOR = re.compile(r"(?:与\d{4}年度?[^。;]{0,20}相比|比上年|较上年|同比)[^。;]{0,12}?(?:增加|减少)[\d,.]+万元")
# Subjects whose uses are unmistakable: (words naming the subject, words its stated use must contain).
USE_FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "住房": (("住房公积金", "购房补贴", "提租补贴", "住房保障", "住房改革"), ("住房", "公积金", "购房", "提租")),
    "医疗": (("医疗", "卫生健康"), ("医疗", "医保", "卫生", "健康")),
    "养老": (("养老", "职业年金", "离退休", "社会保障和就业"), ("养老", "年金", "退休", "离休", "社会保障", "抚恤", "就业")),
}
_REASON_REACH = 160  # characters after a change within which its reason is given


def _sentence_at(text: str, at: int) -> str:
    start = text.rfind("。", 0, at) + 1
    end = text.find("。", at)
    return text[start : end if end >= 0 else len(text)]


_REPEATED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
_DOWN = ("减少", "下降", "降低", "节约", "减")
_DIRECTION = re.compile(r"(增加|增长|上升|超支|提高|减少|下降|降低|节约)")
# "决算数小于预算数", "决算数同预算数持平", "决算数与年初预算数一致"
_BUDGET_COMPARISON = re.compile(
    r"决算数?(?P<word>大于|小于|等于|高于|低于|超过|少于|多于)(?P<which>年初|全年|调整)?预算数?"
    r"|决算数?(?:同|与|和)(?P<which2>年初|全年|调整)?预算数?(?P<same>持平|一致|相等|相同)"
)
_RELATION_OF = {
    "大于": ">", "高于": ">", "超过": ">", "多于": ">", "小于": "<", "低于": "<", "少于": "<",
    "等于": "=", "持平": "=", "一致": "=", "相等": "=", "相同": "=",
}
_WORD_OF = {">": "大于", "<": "小于", "=": "等于"}


def _holds(a: float, relation: str, b: float) -> bool:
    if relation == "=":
        return abs(a - b) < 0.005
    return a > b + 0.005 if relation == ">" else a < b - 0.005


def _direction_word(span: str) -> str:
    """The last 增/减 word before a figure; '' when none, or when the template left both ('下降(增长)')."""
    if re.search(r"\((增加|减少|增长|下降|上升|降低)\)", span):
        return ""
    words = _DIRECTION.findall(span)
    return words[-1] if words else ""


def _three_public_key(name: str) -> str:
    """'公务用车购置及运行维护费' (上海) and '公务用车购置及运行费' (武汉) name the same item."""
    return name.replace("运行维护", "运行")


def _part_value(figure: _Figure) -> float:
    """A listed part as printed, or its table cell when it contradicts that cell (its own finding)."""
    if figure.resolved and judge_amount(figure.value, figure.decimals, figure.number) == "error":
        return figure.number
    return figure.value


def _before(a: _Figure, b: _Figure) -> bool:
    """Whether figure a comes before figure b in their section."""
    return (a.sentence_index, a.start) < (b.sentence_index, b.start)


def _labelled(figures: Iterable[_Figure]) -> dict[str, _Figure]:
    """The first figure of each label ('年初预算', '全年预算', '支出决算') among a section's amounts."""
    out: dict[str, _Figure] = {}
    for figure in figures:
        if figure.role == "amount" and figure.label_text:
            key = figure.label_text.removeprefix("支出") if figure.label == "actual" else figure.label_text
            out.setdefault(key, figure)
    return out


def _aliases(fact: Fact, table: Table) -> set[str]:
    """The names a narrative may use for a table cell (format-specific, not report-specific)."""
    row = clean(fact.row)
    parts = column_parts(fact)
    leaf = parts[-1]
    kind = table.kind
    if kind == "basic_expenditure_detail":
        if row.endswith("合计"):
            return {row, row.removesuffix("合计")}  # 人员经费合计 → 人员经费
        return {row} if fact.code else set()
    if kind in ("income_expenditure_total", "fiscal_total"):
        return _summary_aliases(fact, table, row, parts)
    if kind in ("income", "expenditure", "general_budget_expenditure", "fiscal_expenditure", "government_fund", "state_capital"):
        fund = FUND_PREFIX.get(kind, "")
        total_column = leaf in ("小计", "合计") or leaf.endswith("合计")
        measure = parts[-2] if leaf in ("小计", "合计") and len(parts) > 1 else leaf
        if row == "合计":
            # 公开05表's bare "本年支出" would shadow the department's 本年支出合计; 07/08 are narrated bare.
            names = set() if kind == "general_budget_expenditure" and total_column else {measure}
            if measure.endswith("合计"):
                names |= {measure.removesuffix("合计"), measure.removeprefix("本年")}
            if fund:
                short = fund.removesuffix("财政拨款")  # "一般公共预算项目支出"
                names |= {fund + measure, fund + measure.removeprefix("本年"), short + measure}
            return names
        if fact.code:
            return {row} if total_column else {row + measure}
    return set()


def _summary_aliases(fact: Fact, table: Table, row: str, parts: list[str]) -> set[str]:
    """公开01表 and 公开04表: the row names the figure; 04's fund columns qualify it."""
    side = parts[0] if parts else ""
    fiscal = table.kind == "fiscal_total"
    if row == "总计":
        base = {"收支总计", f"{side}总计", "总计"}
    elif row.endswith("合计"):
        base = {row, row.removeprefix("本年"), row.removesuffix("合计")}
        if row in ("本年收入合计", "本年支出合计"):  # "占收入总额 56.42%", "占总支出的 92.92%"
            side = row[2:4]
            base |= {f"{side}总额", f"总{side}"}
    elif fiscal and side == "收入" and not ORDINAL.match(compact(fact.row)) and "财政拨款" in row and "结转" not in row:
        base = {f"年初{row}结转和结余"}  # the 年初 sub-rows 29–31
    else:
        base = {row}
        if fiscal and side == "收入":
            base.add(row + "收入")
    fund_column = parts[-1] if fiscal and side == "支出" and parts[-1] != "合计" else ""
    if fund_column:
        names = {fund_column + b for b in base}
        if row == "本年支出合计":
            names.add(fund_column + "支出")
        return names
    return base | ({"财政拨款" + b for b in base} if fiscal else set())



# Words that, put before a name, make it a different figure ("一般公共预算财政拨款收入" is not "财政拨款收入").
_QUALIFIER = re.compile(r"(一般公共预算|政府性基金预算?|国有资本经营预算?|财政拨款|非财政拨款|上级补助|年初|年末|基本|项目|本年|上年)$")


def _ends_with(name: str, alias: str) -> bool:
    """Whether a narrative name is a table name with words in front that do not qualify it."""
    return len(alias) >= _MIN_SUFFIX and name.endswith(alias) and not _QUALIFIER.search(name[: -len(alias)])


def _same_name(a: str, b: str) -> bool:
    """Whether two narrative names denote the same figure: equal, or sharing a long enough ending."""
    if not a or not b:
        return False
    if a == b:
        return True
    common = 0
    while common < min(len(a), len(b)) and a[-1 - common] == b[-1 - common]:
        common += 1
    return common >= _MIN_SUFFIX and common >= 0.6 * min(len(a), len(b))


def _subject_words(figure: _Figure) -> str:
    if figure.label == "actual" and figure.entity:
        return figure.entity + ("执行数" if "执行" in figure.label_text else "决算数")
    if figure.label and figure.entity:
        return figure.entity + figure.label_text
    return figure.subject or figure.entity




def narrative_findings(view: ReportView) -> list[Finding]:
    """Every narrative figure that disagrees with the tables or with the figures it is computed from."""
    return _Narrative(view).findings()
