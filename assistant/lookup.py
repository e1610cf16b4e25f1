"""Fact ranking for the stated-figure path: a question's words against every fact (sentences above all).

Rows × columns of the report's tables are planned through `schema.py` / `query.py`; this ranking serves what
they leave: figures stated in sentences, and rows the schema cannot name from the question's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.model import Fact, Table
from index.normalize import compact
from index.vocabulary import to_wanyuan  # noqa: F401  (re-exported: callers import it from here)

# Column words: what the question asks about a row (metric), each with the column texts it selects.
METRICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (question words, column words)
    "rate": (("执行率", "完成率", "完成预算", "预算执行"), ("执行率",)),
    "initial_budget": (("年初预算",), ("年初预算",)),
    "budget": (("全年预算", "预算数", "预算"), ("预算数", "预算")),
    "executed": (("执行数", "执行了", "实际执行", "执行多少", "执行"), ("执行数",)),
    "basic": (("基本支出",), ("基本支出",)),
    "project": (("项目支出",), ("项目支出",)),
    "carry_over_end": (("年末结转", "年末", "年底", "还剩", "没用完", "剩余", "结转下年"), ("年末结转和结余",)),
    "carry_over_start": (("年初结转", "年初"), ("年初结转和结余",)),
    "actual": (("决算数", "决算", "实际", "花了", "支出了", "用了"), ("决算数", "执行数", "合计", "小计")),
}
_TOTAL_COLUMNS = ("合计", "小计", "决算数", "金额", "执行数")
_COUNT_UNITS = ("人", "名", "个", "家", "辆", "条", "台", "台(套)", "台件", "件", "项", "场", "次", "批次", "户", "万户", "人次", "套", "篇")
_MONEY_UNITS = ("万元", "元", "亿元")
# Units specific enough that "几辆车" may take the only figure counted in 辆 (not 人, 个, 名).
_SPECIFIC_COUNTS = ("辆", "家", "条", "台", "户", "批次", "件", "场", "套", "篇")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、|^\d+\.\s*|^[(（][一二三四五六七八九十]+[)）]")
_CLASS_MARK = re.compile(r"[(（][类款项][)）]")
_GENERIC = set("项目 经费 支出 工作 建设 资金 单位 费用 情况 部门 年度 合计 收入 财政 拨款 预算 决算 本年 一般 公共 多少 什么".split())
_QUESTION_NOISE = re.compile(
    r"(请问|一下|到|是多少|有多少|多少钱|多少|是什么|有哪些|哪些|怎么样|如何|为什么|呢|吗|啊|了|的|是|一共|总共|共|都|全部|花|？|\?|。|,|，|!|！|“|”|\s)"
)


@dataclass(frozen=True)
class Match:
    """A fact with how well it answers the question and why."""

    fact: Fact
    score: float
    subject: str  # the part of the fact that matched the question's subject
    subject_len: int
    table: Table | None = None


@dataclass
class ReportFacts:
    """One report's facts and tables, indexed for lookup."""

    report_id: str
    facts: list[Fact]
    tables: dict[str, Table]
    department: str = ""
    year: int | None = None
    projects: dict[str, str] = field(default_factory=dict)  # table key → project name

    @classmethod
    def build(cls, *, report_id: str, facts: list[Fact], tables: list[Table], department: str, year: int | None) -> "ReportFacts":
        """Index one report's facts and tables (the projects come from the 项目绩效自评表)."""
        return cls(
            report_id=report_id,
            facts=facts,
            tables={t.key: t for t in tables},
            department=department,
            year=year,
            projects={t.key: t.project for t in tables if t.project},
        )

    @classmethod
    def of(cls, report) -> "ReportFacts":
        """From a ParsedReport."""
        return cls.build(
            report_id=report.report_id, facts=report.facts, tables=report.tables,
            department=report.identity.department, year=report.identity.year,
        )

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)

    def same_cell(self, fact: Fact) -> Fact | None:
        """This report's fact in the same numbered table, row and column as another report's fact."""
        if getattr(self, "_cells", None) is None:
            self._cells = {_cell_key(f): f for f in self.facts if f.source == "table"}
        return self._cells.get(_cell_key(fact))

    def bigrams(self) -> list[frozenset[str]]:
        """Per fact, the character pairs of everything that could match a question (computed once)."""
        if getattr(self, "_bigrams", None) is None or len(self._bigrams) != len(self.facts):
            self._bigrams = [
                _pairs(clean_label(f.row) + "|" + compact(f.column) + "|" + self.projects.get(f.table, "") + "|"
                       + compact(f.table_title) + "|" + compact(f.quote) + "|" + compact(f.table) + "|" + f.code)
                for f in self.facts
            ]
        return self._bigrams


@lru_cache(maxsize=100_000)
def clean_label(label: str) -> str:
    """'一、一般公共预算财政拨款收入' → '一般公共预算财政拨款收入'; '社会保障和就业(类)支出' → '社会保障和就业支出'."""
    text = compact(label).replace("“", "").replace("”", "").replace('"', "")
    text = _ORDINAL.sub("", text)
    return _CLASS_MARK.sub("", text)


def metric_of(question: str) -> list[str]:
    """The metrics a question names, most specific first ('执行率' before '执行')."""
    q = _FUND.sub("", compact(question))
    found = []
    for name, (words, _) in METRICS.items():
        if any(w in q for w in words):
            found.append(name)
    if "rate" in found and "executed" in found:
        found.remove("executed")
    if "initial_budget" in found and "budget" in found:
        found.remove("budget")
    if "initial_budget" in found and "carry_over_start" in found:
        found.remove("carry_over_start")
    if "rate" in found and "budget" in found:
        found.remove("budget")
    return found


def asked_unit(question: str) -> str | None:
    """The unit a question expects from its measure word: 几辆 → 辆, 多少人 → 人, 比例 → %."""
    q = compact(question)
    if any(w in q for w in ("比例", "比重", "占比", "百分", "执行率", "完成率", "增长率", "率是", "率多少", "率")):
        return "%"
    if re.search(r"得分|分数|评分|打分", q):
        return "分"
    m = re.search(r"(?:几|多少)(辆|人次|人|名|个|条|家|台|批次|次|件|户|项|场|套|篇)", q)
    if m:
        return m.group(1)
    return None


def unit_fits(asked: str | None, unit: str) -> bool:
    if asked is None:
        return unit in _MONEY_UNITS or unit == ""
    if asked == "%":
        return unit == "%"
    if asked in ("人", "名"):
        return unit in ("人", "名")
    if asked == "个":
        return unit in _COUNT_UNITS
    # "台(套)" answers "几台"
    return unit == asked or unit == "万" + asked or unit.startswith((asked + "(", asked + "（"))


def strip_noise(question: str, *, department: str = "", year: int | None = None) -> str:
    """The question's content words: no department name, report year or question particles."""
    q = compact(question)
    if department:
        for alias in _department_aliases(department):
            q = q.replace(alias, "")
    if year:
        q = re.sub(rf"{year}年度?", "", q)
    q = q.replace("全年支出合计", "本年支出合计").replace("全年收入合计", "本年收入合计")
    bare = _QUESTION_NOISE.sub("", q)
    if bare in ("支出", "总支出", "支出总额", "支出合计"):
        return "本年支出合计"
    if bare in ("收入", "总收入", "收入总额", "收入合计"):
        return "本年收入合计"
    q = re.sub(r"^(局里|单位|本单位|我局|本部门|中心|我中心|该单位)", "", q)
    return _QUESTION_NOISE.sub("", q)


@lru_cache(maxsize=64)
def _department_aliases(department: str) -> tuple[str, ...]:
    aliases = {department}
    short = re.sub(r"^.*?[市县]", "", department)  # 武汉市汉阳区市场监督管理局 → 汉阳区市场监督管理局
    aliases.add(short)
    aliases.add(re.sub(r"^.*?区", "", department))
    for alias in list(aliases):
        if alias.endswith("监督管理局"):
            aliases.add(alias.replace("监督管理局", "监管局"))
    return tuple(sorted((a for a in aliases if len(a) >= 3), key=len, reverse=True))


def common_substrings(a: str, b: str, minimum: int = 2) -> list[str]:
    """Maximal substrings of a (len ≥ minimum) that occur in b, greedily left to right, no overlap."""
    out = []
    i = 0
    while i < len(a):
        best = 0
        for j in range(len(a), i + minimum - 1, -1):
            if a[i:j] in b:
                best = j - i
                break
        if best >= minimum:
            out.append(a[i : i + best])
            i += best
        else:
            i += 1
    return out


def _overlap(name: str, q: str) -> int:
    """Characters of name covered by substrings (≥2) that also occur in the question."""
    return sum(len(s) for s in common_substrings(name, q) if s not in _GENERIC or len(name) <= 4)


def project_of(fact: Fact, facts: ReportFacts) -> str:
    return facts.projects.get(fact.table, "")


def score_fact(fact: Fact, q: str, metrics: list[str], facts: ReportFacts) -> tuple[float, str, int]:
    """How well a fact answers question q (content words only); (score, matched subject, its length)."""
    row = clean_label(fact.row)
    if fact.source == "text" and facts.department:
        for alias in _department_aliases(facts.department):
            row = row.replace(alias, "")
        row = re.sub(r"^\d{4}年度?", "", row)
    project = project_of(fact, facts)
    column = compact(fact.column)
    segments = [s for s in column.split("›") if s]
    subject = ""
    subject_len = 0
    score = 0.0

    if project:
        # A project is named by any distinctive part of its name (政企云 → 政企云沟通畅联平台建设经费).
        parts = [s for s in common_substrings(project, q, minimum=2) if s not in _GENERIC]
        length = max((len(s) for s in parts), default=0)
        if length >= 3 or (length >= 2 and length == len(project)):
            subject, subject_len = project, length
            score += 3.0 * length + (4.0 if project in q else 0.0)
        if row and row in q:
            score += 1.0 * len(row)
    if fact.code and re.search(rf"(?<!\d){fact.code}(?!\d)", q):
        subject, subject_len = fact.code, len(fact.code) + 4
        score += 30.0
    if fact.source == "table" and row:
        if row in q:
            if subject_len < len(row):
                subject, subject_len = row, len(row)
            score += 3.0 * len(row) + 2.0
        else:
            covered = _overlap(row, q)
            if covered >= 4 or (covered >= 3 and covered / len(row) >= 0.6):
                if subject_len < covered:
                    subject, subject_len = row, covered
                score += 2.0 * covered
    if fact.source == "text":
        covered = _overlap(row, q)
        heading = clean_label(fact.table.split("›")[-1])
        heading_cover = _overlap(_ORDINAL.sub("", heading), q)
        quote = _unquoted(fact.quote)
        prefix = _topic(quote)
        prefix_cover = _overlap(prefix, q)
        if covered >= 2:
            subject, subject_len = row, covered
        elif prefix_cover + heading_cover >= 4:
            subject, subject_len = row, 2
        tail = _tail(quote, fact)
        tail_cover = _overlap(tail, q) if fact.unit not in ("万元", "元", "亿元", "%") else 0
        if tail_cover >= 2 and subject_len < tail_cover:
            subject, subject_len = tail, tail_cover
        score += 2.2 * covered + 0.8 * heading_cover + 0.6 * prefix_cover + 1.6 * tail_cover
        # Words of the subject the question does not use make it a narrower item (政府采购服务支出).
        core = _NOT_WORDS.sub("", row)  # figures, years and "与…相比" name nothing
        score -= 0.8 * max(0, len(core) - len(_covered(core, [q])) - 2)
        asked_words = [w for m in metrics for w in METRICS[m][0] if w in _FUND.sub("", q)]
        metric_row = _FUND.sub("", row)
        other_words = [w for m, (words, _) in METRICS.items() if m not in metrics and m != "actual" for w in words if w in metric_row]
        if "initial_budget" not in metrics and "年初" in metric_row:
            asked_words = []  # 年初预算 is not the 全年预算 asked for
            score -= 6.0
        if asked_words and any(w in metric_row for w in asked_words):
            score += 6.0
        elif asked_words:
            score -= 4.0
        if other_words and metrics:
            score -= 6.0
    # Column words: segments named in the question, or asked for through a metric.
    for segment in segments:
        seg = clean_label(segment)
        if seg and seg in q and seg not in ("决算数", "合计", "小计"):
            names_subject = fact.source == "table" and (_is_total_row(row) or row in clean_label(fact.table_title))
            score += (3.0 * len(seg) + 2.0) if names_subject and not row.startswith("合计") and row else 1.5 * len(seg)
            if names_subject and subject_len < len(seg):
                subject, subject_len = seg, len(seg)
    # Question words the fact does not account for count against it.
    descriptors = [row, column, project]
    if fact.source == "table":
        descriptors.append(compact(fact.table_title))
    else:
        quote = _unquoted(fact.quote)
        descriptors += [quote, compact(fact.table.split("›")[-1])]
    residual_q = q
    satisfied = [w for m in metrics for w in METRICS[m][1] if w in _FUND.sub("", column + row + _unquoted(fact.quote))]
    if satisfied:
        for m in metrics:
            for w in sorted(METRICS[m][0], key=len, reverse=True):
                residual_q = residual_q.replace(w, "")
    residual = len(residual_q) - len(_covered(residual_q, descriptors))
    score -= 1.2 * residual
    if "目标" in column and "目标" not in q:
        score -= 3.0  # 年初目标值: the plan, not what was done
    wanted = [w for m in metrics for w in METRICS[m][1]]
    if fact.source == "table":
        # "预算" inside "一般公共预算财政拨款" names a fund, not a budget column.
        metric_column = _FUND.sub("", column)
        if wanted:
            if "actual" in metrics and "预算" in metric_column and not any(m in metrics for m in ("budget", "initial_budget")):
                score -= 14.0  # 实际 / 决算 asked, a 预算数 column given
            elif any(w in metric_column for w in wanted) or any(w in row for w in wanted):
                score += 6.0
            elif any(m in ("rate", "budget", "initial_budget", "executed", "basic", "project", "carry_over_end", "carry_over_start") for m in metrics):
                score -= 14.0
        elif any(w in metric_column for w in ("基本支出", "项目支出", "预算数", "执行率")):
            score -= 4.0
        elif any(column.endswith(t) or t in segments[-1:] for t in _TOTAL_COLUMNS) or not segments:
            score += 2.0
        # Income and expenditure columns of side-by-side tables.
        spends = any(w in q for w in ("支出", "花", "用于", "开支"))
        if spends and "收入" in column and "支出" not in q[:0] and "收入" not in q:
            score -= 3.0
        if "收入" in q and "支出" in column and "收入" not in column and "支出" not in q:
            score -= 3.0
    else:
        sentence = _unquoted(fact.quote)
        if wanted and any(w in sentence for w in wanted):
            score += 3.0
    return score, subject, subject_len


_NOT_WORDS = re.compile(r"[\d.,%]+|万元|年度|相比|^与")
_FUND = re.compile(r"(一般公共|政府性基金|国有资本经营)预算(财政拨款)?")


def _tail(quote: str, fact: Fact) -> str:
    """The words right after a count ('34家养老机构食品安全…' → '养老机构食品安全…')."""
    number = f"{fact.value:g}"
    idx = quote.find(number + fact.unit)
    if idx < 0:
        return ""
    rest = quote[idx + len(number) + len(fact.unit) :]
    return re.split(r"[,;:。、]", rest, maxsplit=1)[0][:20]


def _topic(quote: str) -> str:
    """A sentence's topic: its words before the first figure."""
    stripped = re.sub(r"^(\d{1,2}\.|\d{4}年度?)", "", quote)
    m = re.search(r"\d", stripped)
    return stripped[: m.start()] if m else stripped


_CONTEXT = re.compile(r"^(.{2,}?)(里|中|当中|之中|里面)[,:]?(.{2,})$")


def _wrong_side(fact: Fact, *, spends: bool, receives: bool) -> bool:
    """An income cell for a spending question (or the reverse) in side-by-side tables."""
    where = compact(fact.column) + compact(fact.table_title)
    income_only = "收入" in where and "支出" not in compact(fact.column) and "收入支出" not in compact(fact.table_title)
    spending_only = "支出" in where and "收入" not in where
    return (spends and not receives and income_only) or (receives and not spends and spending_only)


def _cell_key(fact: Fact) -> tuple[str, str, str, str]:
    return (fact.table, clean_label(fact.row), compact(fact.column), fact.code)


@lru_cache(maxsize=100_000)
def _unquoted(text: str) -> str:
    """Compact text without quotation marks: “三公”经费 matches 三公经费."""
    return compact(text).translate(_QUOTES)


_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _covered(q: str, texts: list[str]) -> set[int]:
    """Positions of q inside substrings (≥ 2 chars) that occur in any of texts."""
    positions: set[int] = set()
    for text in texts:
        if not text:
            continue
        i = 0
        while i < len(q) - 1:
            j = len(q)
            while j > i + 1 and q[i:j] not in text:
                j -= 1
            if j > i + 1:
                positions.update(range(i, j))
                i = j
            else:
                i += 1
    return positions


def _is_total_row(row: str) -> bool:
    return row in ("合计", "总计", "小计") or row == ""


def scope_penalty(fact: Fact, q: str) -> float:
    """Narrower tables (一般公共预算财政拨款…) lose to the all-funds table unless the question names the scope."""
    title = compact(fact.table_title)
    for scope in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "财政拨款"):
        if scope in title:
            return 0.0 if scope in q or scope.replace("预算财政拨款", "") in q else 1.5
    return 0.0


def find(question: str, facts: ReportFacts, *, metrics: list[str] | None = None, unit: str | None = "auto",
         kinds: tuple[str, ...] = ("table", "text")) -> list[Match]:
    """Facts ranked for a question, best first; only those that match a subject."""
    raw = compact(question)
    context = ""
    split = _CONTEXT.match(raw)
    if split and strip_noise(split.group(3)):
        # "基本支出明细里，物业管理费花了多少": the scope, then the subject.
        context = strip_noise(split.group(1), department=facts.department, year=facts.year)
        question = split.group(3)
    q = strip_noise(question, department=facts.department, year=facts.year)
    if not q:
        return []
    metrics = metric_of(question) if metrics is None else metrics
    asked = asked_unit(question) if unit == "auto" else unit
    spends = any(w in raw for w in ("支出", "花", "用于", "开支", "用了"))
    receives = "收入" in raw or "收到" in raw
    matches = []
    wanted_pairs = _pairs(q)
    for fact, pairs in zip(facts.facts, facts.bigrams()):
        if fact.source not in kinds or not (wanted_pairs & pairs):
            continue  # shares no two characters with the question: cannot name its subject
        if not unit_fits(asked, fact.unit) and not (asked == "%" and fact.unit == "%"):
            continue
        if fact.source == "table" and _wrong_side(fact, spends=spends, receives=receives):
            continue
        score, subject, subject_len = score_fact(fact, q, metrics, facts)
        if subject_len < 2 or score <= 0:
            continue
        score -= scope_penalty(fact, q + context)
        if context:
            score += 0.8 * len(_covered(context, [compact(fact.table_title), compact(fact.column), compact(fact.table), _unquoted(fact.quote)]))
        if fact.source == "text":
            score *= 0.9
        matches.append(Match(fact=fact, score=score, subject=subject, subject_len=subject_len, table=facts.table(fact.table)))
    if not matches and asked in _SPECIFIC_COUNTS:
        # "有几辆车": few facts carry that unit; rank them by the characters they share with the question.
        for fact in facts.facts:
            if fact.source in kinds and unit_fits(asked, fact.unit):
                shared = len(set(raw) & set(_unquoted(fact.quote)))
                if shared:
                    matches.append(Match(fact=fact, score=6.0 + shared, subject=fact.row, subject_len=2, table=facts.table(fact.table)))
    matches.sort(key=lambda m: (-m.score, _table_order(m.fact)))
    return matches


# On a tie, the totals table, then the expenditure tables people ask about most, then income (by kind).
TABLE_PREFERENCE = (
    "income_expenditure_total", "expenditure", "general_budget_expenditure", "fiscal_total", "income",
    "basic_expenditure_detail", "government_fund", "state_capital", "three_public",
)


def _table_order(fact: Fact) -> tuple[int, str]:
    if fact.source != "table":
        return (99, fact.table)
    kind = fact.table_kind
    return (TABLE_PREFERENCE.index(kind) if kind in TABLE_PREFERENCE else 50, fact.table)
