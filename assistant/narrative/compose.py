"""Answer a narrative question with the report's own sentences: those that fit the intent, about the
question's subject, quoted with their section or 自评表 row; the paragraph around them as context."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.model import Answer, Citation, Route
from assistant.narrative.intent import Intent, IntentKind, asked_count, stripped_cues
from assistant.narrative.sentences import GLOSSARY, ReportText, Sentence, bigrams
from assistant.query import without_unit_by_charge
from index.normalize import compact
from prompts import load_prompt

SUBJECT_WEIGHT = 1.5  # the question's words in a sentence's subject or heading count more than in its body
PRIOR_WEIGHT = 0.6  # a sentence inside the retriever's first passage gains this much (less further down)
ALSO_FIT = 0.4  # fitting a second intent of the question ('…怎么处理') counts less than the first
MIN_SUBJECT = 0.3  # below this share of the question's words, a sentence is not about what was asked
GENERAL_SUBJECT = 0.6  # with no retrieved passage and no intent, most of the question must be found
MIN_KNOWN = 0.3  # below this share of the question's bigrams occurring anywhere in the report, it is not about the report
CARRY = 0.9  # a sentence is about what the sentence before it in its paragraph is about, nearly as much…
CARRY_SCORE = 0.3  # …but ranks below the sentence that names the subject itself
CONTEXT_CHARS = 300
SHORT_ITEM = 16  # a list item this short is a bare title
BEAT_MARGIN = 0.2  # how much more of the question a prose figure's sentence must cover to replace a table's
_MAX_GATHER = 12

_PARTICLES = re.compile(
    r"请问|一下|告诉我|介绍|是多少|有多少|多少|是什么|有哪些|哪些|哪几|怎么样|怎样|如何|为什么|为何|为啥|什么|呢|吗|啊|呀|了|的|是|都|"
    r"主要|具体|一共|总共|这个|这份|这些|该|本单位|本部门|单位|我局|局里|中心|部门|今年|去年|上年|本年|年度|自评|得了|评了|打了|[?？。，,!！“”\"\s]"
)
_FIGURE = r"(\d[\d,]*(?:\.\d+)?)\s*(?:余|多)?\s*({unit})"  # '共 180余家企业申请' states 180
_ADDED_INTENTS = ("reason", "measures", "usage", "result")  # a second question in one ('…？怎么处理？')
_ENUMERATION_NEXT = re.compile(r"^(?:[二三四五六七八九十]是|主要由于|其中|另外|此外|同时)")


@dataclass(frozen=True)
class _Scored:
    score: float
    index: int
    about: float  # share of the question's words in the sentence (subject and body)
    fits: bool


def answer_narrative(
    question: str,
    passages: Sequence = (),
    *,
    intent: Intent,
    text: ReportText,
    phrase: Callable[[str, list[str]], str | None] | None = None,
    against: Answer | None = None,
) -> Answer:
    """The sentences of the report that answer a narrative question, quoted with their citations.

    passages are the retriever's best passages (label, page, text, score, kind), best first: the
    sentences inside them are preferred; every sentence of the report can still answer. against is
    another route's number for a "多少/几" question: the figure stated in prose replaces it only when
    its units differ or the prose sentence is more about the question's subject.
    """
    subject = question_subject(question, department=text.department, year=text.year)
    grams = bigrams(subject)
    priors = _priors(text, passages)
    q = compact(question)
    if intent.kind == "definition" or (intent.kind == "list" and re.search(r"包括|包含|分为|组成", q)):
        entry = _glossary_entry(text, subject)
        if entry:
            return _answer(question, entry, intent, text, phrase, context=False)
        if intent.kind == "definition":
            intent = Intent("general", intent.also, intent.cue)
    if grams and intent.kind not in ("contact", "number") and sum(1 for g in grams if text.weight(g)) < MIN_KNOWN * len(grams):
        # most of what was asked is in no sentence of the report (食堂几点开饭, 公众号叫什么): the sentences that
        # share its one common word (每年, 名字) are not about it
        return _not_found(intent, _say("no_passage"))
    scored = _score(text, grams, priors, intent, q)
    if intent.kind == "general":
        return _general(question, passages, scored, intent, text, phrase, grams)
    if intent.kind == "number":
        prose = _prose_number(question, scored, text, subject)
        if against is not None:
            return prose if prose is not None and _beats(prose, against, grams, text) else against
        return prose or _not_found(intent, _say("no_passage"))
    anywhere = not grams or intent.kind == "contact"  # a phone number is the report's, whatever it is about
    fitting = [s for s in scored if s.fits and (s.about >= MIN_SUBJECT or anywhere)]
    if intent.kind == "result":
        number = _score_number(question, fitting, text, subject) or _prose_number(question, fitting, text, subject)
        if number:
            return number
    if not fitting:
        if intent.kind in ("result", "contact"):
            return _not_found(intent, _say("no_result", subject=subject or "本单位") if intent.kind == "result" else _say("no_passage"))
        fitting = [s for s in scored if s.about >= MIN_SUBJECT]
        if not fitting:
            return _not_found(intent, _say("no_passage"))
    best = text.sentences[fitting[0].index]
    chosen = _gather(text, best, intent, subject)
    for also in (k for k in intent.also if k in _ADDED_INTENTS):
        extra = _best_of(text, scored, also, exclude=chosen)
        if extra is not None:
            chosen += _gather(text, extra, Intent(also), subject)
    return _answer(question, chosen, intent, text, phrase, context=intent.kind in ("reason", "usage", "measures"))


def question_subject(question: str, *, department: str = "", year: int | None = None) -> str:
    """What the question is about: its words without the department, the year, intent cues and particles."""
    q = _without_department(without_unit_by_charge(compact(question), department), department)
    if year:
        q = re.sub(rf"{year}年度?|{year - 1}年度?", "", q)
    expansions = [words for key, words in _data()["expand"].items() if re.search(key, q)]
    for cue in stripped_cues():
        q = cue.sub("", q)
    return _PARTICLES.sub("", q) + "".join(f" {w}" for w in expansions)


def _without_department(q: str, department: str) -> str:
    """The question without the department's name, full or shortened the way people shorten it:
    the characters of the name in order, ending as it ends (规划资源局 for …规划和自然资源局)."""
    if not department:
        return q
    for name in (department, re.sub(r"^.*?[省市]", "", department), re.sub(r"^.*?[区县]", "", department)):
        if len(name) >= 3:
            q = q.replace(name, "")
    for start in range(len(q)):
        for end in range(len(q), start + 2, -1):
            if q[end - 1] == department[-1] and _in_order(q[start:end], department):
                return q[:start] + q[end:]
    return q


def _in_order(short: str, name: str) -> bool:
    """Whether every character of short occurs in name, in the same order."""
    rest = iter(name)
    return all(ch in rest for ch in short)


def _priors(text: ReportText, passages: Sequence) -> dict[int, float]:
    """Sentences inside the retrieved passages, weighted by the passage's rank."""
    priors: dict[int, float] = {}
    for rank, passage in enumerate(passages):
        body = compact(getattr(passage, "text", ""))
        first_line = compact(getattr(passage, "text", "").split("\n", 1)[0])
        weight = PRIOR_WEIGHT / (1 + rank)
        for i, s in enumerate(text.sentences):
            if s.source == "cell":
                hit = getattr(passage, "kind", "") == "table" and compact(s.label) in first_line
            else:
                hit = compact(s.text)[:40] in body
            if hit and weight > priors.get(i, 0.0):
                priors[i] = weight
    return priors


def _score(text: ReportText, grams: frozenset[str], priors: dict[int, float], intent: Intent, q: str) -> list[_Scored]:
    fits = {kind: _fit_patterns(kind) for kind in intent.kinds}
    zero = re.search(_data()["zero"]["question"], q) is not None
    absence = re.compile(_data()["zero"]["sentence"])
    out = []
    previous: tuple[int, float] = (-1, 0.0)  # paragraph and share of the sentence before
    for i, s in enumerate(text.sentences):
        on_subject = text.coverage(grams, i, subject=True)
        in_text = text.coverage(grams, i, subject=False)
        carried = previous[1] if previous[0] == s.paragraph else 0.0
        # '…增加 383.54 万元。主要原因是：…' — a sentence is about what the one before it is about,
        # though less than that one itself (the clause after '人员经费…；' is not about 人员经费).
        about = max(on_subject, in_text, CARRY * carried)
        on_subject = max(on_subject, CARRY_SCORE * carried)
        previous = (s.paragraph, max(on_subject, in_text))
        quote = compact(s.quote)
        fit = _fit(fits[intent.kind], quote)
        if intent.kind == "reason" and zero and absence.search(quote):
            fit = 1.5  # '三公经费为什么是0' — '本单位当年无“三公”经费支出' is the stated reason
        also = max((_fit(fits[k], quote) for k in intent.also), default=0.0)
        if intent.kind == "list" and len(s.text) < SHORT_ITEM:
            fit *= 0.8  # a bare title names an item; a sentence that lists says more
        if s.source == "cell" and re.fullmatch(r"无[。.]?|无偏差[。.]?", compact(s.text)):
            fit *= 0.7  # '无偏差。' answers only when nothing else does
        score = SUBJECT_WEIGHT * on_subject + in_text + fit + ALSO_FIT * also + priors.get(i, 0.0)
        if s.glossary_term and intent.kind != "definition":
            score *= 0.5  # a term's meaning is not what happened this year
        out.append(_Scored(score, i, about, fit > 0))
    out.sort(key=lambda s: (-s.score, s.index))
    return out


def _fit(patterns: tuple[re.Pattern[str], ...], quote: str) -> float:
    """1 for the intent's first pattern, a little less for later ones, 0 when none matches."""
    for rank, pattern in enumerate(patterns):
        if pattern.search(quote):
            return 1.0 - 0.05 * rank
    return 0.0


@lru_cache(maxsize=None)
def _fit_patterns(kind: IntentKind) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _data()["fit"].get(kind, ()))


def _best_of(text: ReportText, scored: list[_Scored], kind: IntentKind, *, exclude: list[Sentence]) -> Sentence | None:
    patterns = _fit_patterns(kind)
    for s in scored:
        sentence = text.sentences[s.index]
        if sentence in exclude or s.about < MIN_SUBJECT:
            continue
        if _fit(patterns, compact(sentence.quote)) > 0:
            return sentence
    return None


def _glossary_entry(text: ReportText, subject: str) -> list[Sentence]:
    """The 名词解释 entry whose term is the question's subject: all its sentences."""
    if len(subject) < 2:
        return []
    q = bigrams(subject)
    best, best_score = None, 0.0
    for s in text.sentences:
        if not s.glossary_term:
            continue
        term = bigrams(re.sub(r"[“”\"()（）]", "", s.glossary_term))
        if not term:
            continue
        both = len(q & term)
        score = both / len(q) + both / len(term)
        if score > best_score:
            best, best_score = s, score
    if best is None or best_score < 1.5:
        return []
    return [s for s in text.paragraph_of(best)]


def _gather(text: ReportText, best: Sentence, intent: Intent, subject: str) -> list[Sentence]:
    """The best sentence and what completes it: a list's every item, a reason's continuation."""
    if intent.kind == "composition":
        return text.section_of(best)[:_MAX_GATHER]
    paragraph = text.paragraph_of(best)
    after = paragraph[paragraph.index(best) + 1 :]
    chosen = [best]
    if intent.kind == "list":
        siblings = _sibling_items(text, best, subject)
        if siblings:
            return siblings
        if best.source == "section" and best.text.rstrip().endswith(("：", ":", "如下")):
            section = text.section_of(best)
            chosen += section[section.index(best) + 1 :][:_MAX_GATHER]
            return chosen
    if best.text.rstrip().endswith(("：", ":")):
        chosen += after[:_MAX_GATHER]
        return chosen
    for s in after:
        if _ENUMERATION_NEXT.match(compact(s.text)):
            chosen.append(s)
        else:
            break
    return chosen


def _sibling_items(text: ReportText, best: Sentence, subject: str) -> list[Sentence]:
    """'主要职能有哪些': the first sentence of every item of the list the best sentence belongs to,
    when the question names the list's heading rather than one item of it."""
    if best.source != "section" or best.section >= len(text.sections):
        return []
    section = text.sections[best.section]
    path = section.heading_path
    q = bigrams(subject)
    if len(path) < 2 or not q:
        return []
    own = len(q & bigrams(compact(path[-1])))
    shared = len(q & bigrams(compact(" ".join(path[1:-1]))))
    # "开展了哪些工作", "都负责哪些事": words that name no topic of their own ask for the whole list the best
    # sentence belongs to, not the one item that shares a word with them.
    generic = not re.sub(r"工作|职责|职能|事情|事项|事|内容|任务|情况|主要|都|了|开展|负责|做|干", "", subject)
    if shared < max(own, 1) and not generic:
        # The items may sit in one section, one per line ('1. 着力推进…' '2. 推进…').
        lines = [s for s in text.section_of(best) if re.match(r"^(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)", s.text)]
        if len(lines) >= 3 and len(q & bigrams(compact(" ".join(path[1:])))) >= max(own, 1):
            return lines[:_MAX_GATHER * 2]
        return []
    parent = path[:-1]
    numbers = [i for i, sec in enumerate(text.sections) if sec.heading_path[:-1] == parent and len(sec.heading_path) == len(path)]
    if len(numbers) < 2:
        return []
    firsts = []
    for number in numbers:
        first = next((s for s in text.sentences if s.section == number), None)
        if first is not None:
            firsts.append(first)
    return firsts[: _MAX_GATHER * 2]


def _general(question, passages, scored, intent, text, phrase, grams: frozenset[str]) -> Answer:
    """No particular intent ('政府采购支出情况'): the best retrieved passage about the question as it stands.

    The retriever always has a nearest passage; one that holds too little of what was asked (a report
    with no 政府采购 section, asked about 政府采购) answers nothing."""
    sections = [
        p for p in passages
        if getattr(p, "kind", "section") == "section" and _passage_about(text, grams, p) >= MIN_SUBJECT
    ]
    sections.sort(key=lambda p: GLOSSARY in compact(p.label))
    if sections:
        top = sections[0]
        chosen = [top] + [p for p in sections[1:2] if p.score >= top.score * 0.9 and p.label == top.label]
        body = "\n".join(p.text for p in chosen)
        citations = tuple(Citation(label=p.label, page=p.page, quote=p.text[:200]) for p in chosen)
        return _finish(question, body, citations, intent, top.label, phrase)
    if not scored or scored[0].about < GENERAL_SUBJECT:
        return _not_found(intent, _say("no_passage"))
    best = text.sentences[scored[0].index]
    return _answer(question, text.paragraph_of(best), intent, text, phrase, context=False)


def _passage_about(text: ReportText, grams: frozenset[str], passage) -> float:
    """Weighted share of the question's bigrams found in a passage's heading and text (1 with none asked)."""
    total = sum(text.weight(g) for g in grams)
    if not grams or total <= 0:
        return 1.0
    have = bigrams(compact(f"{passage.label}{passage.text}"))
    return sum(text.weight(g) for g in grams if g in have) / total


def _prose_number(question: str, scored: list[_Scored], text: ReportText, subject: str) -> Answer | None:
    """'服务了多少家企业': a figure with the asked unit, stated in a sentence about the subject — and next to the
    thing counted (企业), never another count in the same sentence ('食堂有几个' is not '实验室1个')."""
    unit = asked_count(question)
    return _figure_answer(unit, scored, text, subject, counted=_counted(question, unit)) if unit else None


def _counted(question: str, unit: str) -> str:
    """The thing a count question counts: the words after '几个'/'多少家', else the words before '有几个'."""
    q = compact(question)
    after = re.search(r"(?:多少|几)" + re.escape(unit) + r"([\u4e00-\u9fff]{1,6}?)(?:[?？。,，]|呢|啊|吗|$)", q)
    if after:
        return after.group(1)
    before = re.search(r"([\u4e00-\u9fff]{2,6}?)(?:一共|总共|共)?有?(?:多少|几)" + re.escape(unit), q)
    return before.group(1) if before else ''


def _beats(prose: Answer, other: Answer, grams: frozenset[str], text: ReportText) -> bool:
    """Whether a figure stated in prose answers better than another route's number."""
    if other.kind != "number" or other.unit != prose.unit:
        return True

    def about(answer: Answer) -> float:
        cited = bigrams(compact(" ".join(f"{c.label} {c.row} {c.quote}" for c in answer.citations)))
        total = sum(text.weight(g) for g in grams)
        return sum(text.weight(g) for g in grams if g in cited) / total if total else 0.0

    return about(prose) >= about(other) + BEAT_MARGIN


def _score_number(question: str, fitting: list[_Scored], text: ReportText, subject: str) -> Answer | None:
    """'自评得了多少分': a score in points stated in a result sentence or cell."""
    q = compact(question)
    if not ("分" in q and re.search(r"多少|几", q)):
        return None
    return _figure_answer("分", fitting, text, subject)


def _figure_answer(unit: str, scored: list[_Scored], text: ReportText, subject: str, *, counted: str = "") -> Answer | None:
    figure = re.compile(_FIGURE.format(unit=re.escape(unit)))
    grams = bigrams(subject)
    things = bigrams(counted) or set(counted)  # '几辆车': one character is the thing
    for s in scored[:40]:
        if s.about < MIN_SUBJECT:
            continue
        sentence = text.sentences[s.index]
        found = list(figure.finditer(sentence.quote))
        if things:  # the counted thing named right before or after the figure ('实验室1个' counts no 食堂)
            found = [f for f in found
                     if any(t in compact(sentence.quote[max(0, f.start() - 12): f.end() + 8]) for t in things)]
        if not found:
            continue
        # '项目39个…评级为“优”的项目39个': the figure whose preceding words share most with the question.
        m = max(found, key=lambda f: (len(grams & bigrams(sentence.quote[max(0, f.start() - 12) : f.start()])), -f.start()))
        value = float(m.group(1).replace(",", ""))
        label = sentence.subject.split(" ")[0] if sentence.subject else subject
        body = load_prompt("narrative")["answer"]["number"].format(
            subject=label or subject, value=m.group(1), unit=unit, sentence=sentence.quote
        )
        intent = Intent("number")
        return Answer(
            kind="number",
            text=body,
            value=value,
            unit=unit,
            citations=(_citation(sentence),),
            route=Route("narrative", _say("reason", intent=intent.name, label=sentence.label), intent=intent.kind),
        )
    return None


def _answer(question, chosen: list[Sentence], intent: Intent, text: ReportText, phrase, *, context: bool) -> Answer:
    chosen = list(dict.fromkeys(chosen))
    body = "\n".join(s.quote for s in chosen)
    first = chosen[0]
    if context and first.source == "section":
        paragraph = "".join(s.text for s in text.paragraph_of(first))
        if len(paragraph) > len("".join(s.text for s in chosen)) + 10:
            body += load_prompt("narrative")["answer"]["context"].format(
                label=first.label, paragraph=paragraph[:CONTEXT_CHARS] + ("…" if len(paragraph) > CONTEXT_CHARS else "")
            )
    citations: list[Citation] = []
    for s in chosen:
        if all((c.label, c.page) != (s.label, s.page) for c in citations):
            citations.append(_citation(s))
    return _finish(question, body, tuple(citations), intent, first.label, phrase)


def _finish(question, body: str, citations, intent: Intent, label: str, phrase) -> Answer:
    reason = _say("reason", intent=intent.name, label=label)
    if phrase is not None:
        phrased = phrase(question, [body])
        if phrased:
            body, reason = phrased, reason + "，由语言模型依据原文转述（数字已核对）"
    return Answer(kind="text", text=body, citations=citations, route=Route("narrative", reason, intent=intent.kind))


def _citation(s: Sentence) -> Citation:
    return Citation(label=s.label, page=s.page, quote=s.quote[:200], row=s.row)


def _not_found(intent: Intent, reason: str) -> Answer:
    return Answer(
        kind="not_found",
        text=_say("not_found", reason=reason),
        route=Route("not_found", reason, intent=intent.kind),
    )


def _say(key: str, **values) -> str:
    return load_prompt("narrative")["answer"][key].format(**values)


def _data() -> dict:
    return load_prompt("narrative")
