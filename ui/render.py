"""Turn an Answer into chat markdown and its citations into page images with the cited text highlighted."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import asdict, dataclass, is_dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from assistant.compose import CARRIED_NAMES, SCOPE_NAMES
from assistant.model import Answer, Citation
from index.normalize import compact

# pdfminer complains about every font without a FontBBox; the sample reports have many.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

RENDER_SCALE = 2.0  # pixels per PDF point: 144 dpi, sharp enough to read small table print
HIGHLIGHT_FILL = (255, 200, 0, 80)
HIGHLIGHT_EDGE = (230, 100, 0, 255)
ROW_FILL = (255, 220, 0, 45)  # the cited row, faint: the cell itself gets the strong box
CELL_EDGE = (220, 0, 0, 255)
_MIN_SEGMENT = 6  # shorter pieces of a passage match too many places on a page

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")

ROUTE_NAMES = {
    "lookup": "查表",
    "calculate": "计算",
    "narrative": "文字检索",
    "audit": "核对",
    "not_found": "未找到",
    "invalid": "无效问题",
}

# Names a reader sees for the fields of a plan (whatever structure the answerer attaches to an Answer).
PLAN_FIELD_NAMES = {
    "kind": "类型",
    "reason": "理由",
    "route": "判断",
    "query": "查询",
    "subjects": "对象",
    "subject": "对象",
    "measure": "指标",
    "scope": "范围",
    "operation": "运算",
    "denominator": "分母",
    "steps": "步骤",
    "cells": "用到的单元格",
    "table": "表",
    "table_title": "表名",
    "row": "行",
    "column": "列",
    "page": "页",
    "value": "数值",
    "unit": "单位",
    "formula": "算式",
    "report": "报告",
    "note": "说明",
    "measures": "指标",
    "carried": "沿用上文",
    "open": "按默认补全",
    "entity": "行",
}

# The plan's operation ids as a reader says them.
OPERATION_NAMES = {
    "value": "取数",
    "share": "占比",
    "difference": "差额",
    "ratio": "倍数",
    "sum": "求和",
    "rate": "执行率",
    "years": "跨年比较",
    "rank": "排序",
    "stated": "报告文字中写明的数字",
    "both": "两年合计",
    "change": "与上年相比",
    "prior": "上年数（本年数减报告写明的比上年增加数）",
    "filter": "筛选",
    "clarify": "有歧义，列出各个读法",
    "refuse": "不能这样计算",
    "unsupported": "不支持的运算",
    "number": "取数",
}

_EMPTY_PARENS = re.compile(r"\(\s*\)|（\s*）")


def escape_markdown(text: str) -> str:
    """Backslash the characters Markdown would read as formatting."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def display_label(text: str) -> str:
    """A label as a reader should see it: no empty brackets left by an empty header cell ('实际完成值()')."""
    return _EMPTY_PARENS.sub("", text).strip()


def format_value(value: float, unit: str = "") -> str:
    """86.3 → '86.3'; 1234567.0 → '1,234,567'; keep up to four decimals, no exponent."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return f"{text}{unit}" if unit else text


def page_text(page: int | None) -> str:
    return f"第{page}页" if page else "页码未知"


def citation_title(citation: Citation) -> str:
    """One line naming a citation: its table or section label and page."""
    return f"{display_label(citation.label)}（{page_text(citation.page)}）"


SOURCES_HEADING = "出处"


def answer_body(answer: Answer, *, report: str = "") -> str:
    """What the reader is told: sentence, value with its source row, candidates, and the numbered citations
    ([1], [2] … link to their page) under the name of the report they come from."""
    parts = [escape_markdown(display_label(answer.text))]
    if answer.kind == "number" and answer.value is not None:
        line = f"**{escape_markdown(format_value(answer.value, answer.unit))}**"
        source = _source_phrase(answer.citations[0]) if answer.citations else ""
        if source:
            line += f"　来自{source}{cite_marker(1)}"
        parts.append(line)
    if answer.stated_value is not None and answer.value is not None and answer.stated_value != answer.value:
        parts.append(f"报告原文数字：{escape_markdown(format_value(answer.stated_value, answer.unit))}")
    cited = answer_citations(answer)
    if answer.candidates:
        lines = ["可能指："]
        for c in answer.candidates:
            marker = cite_marker(cited.index(c.citation) + 1) if c.citation in cited else ""
            lines.append(
                f"- {escape_markdown(display_label(c.label))}：**{escape_markdown(format_value(c.value, c.unit))}**"
                f"{marker}"
            )
        parts.append("\n".join(lines))
    where = f"（{escape_markdown(report)}）" if report else ""
    if cited:
        lines = [f"{SOURCES_HEADING}{where}：  "]  # a hard break after each line: a list of sources, not a paragraph
        for i, c in enumerate(cited, 1):
            lines.append(f"{cite_marker(i)} {escape_markdown(citation_title(c))}  ")
        parts.append("\n".join(lines).rstrip())
    elif report and report not in answer.text:  # a refusal may name its report already
        parts.append(f"_报告：{escape_markdown(report)}_")
    return "\n\n".join(parts)


def cite_marker(n: int) -> str:
    """A numbered citation marker; the page opens that citation's source when it is clicked."""
    return f"[\\[{n}\\]](#cite-{n})"


def how_markdown(answer: Answer) -> str:
    """The plan behind an answer in the report's own words and numbers ("" when there is no plan to show)."""
    plan = getattr(answer, "plan", None)
    if plan is None and not answer.formula:
        return ""
    route = ROUTE_NAMES.get(answer.route.kind, answer.route.kind)
    said = display_label(answer.route.reason or "")
    if said.startswith(route):  # "查表：…" names the kind of question itself
        kind = escape_markdown(said)
    else:
        kind = route + (f"：{escape_markdown(said)}" if said else "")
    lines = [f"- 问题类型：{kind}"]
    if plan is not None:
        lines.extend(line for line in _plan_summary(plan) if line.strip("- ") != answer.formula.strip())
    if answer.formula:
        lines.append(f"- 计算：`{answer.formula.replace('`', '')}`")
    return "\n".join(lines)


def _plan_summary(plan) -> list[str]:
    """The operation, what the question named, what it took from earlier turns, and each cell once."""
    data = asdict(plan) if is_dataclass(plan) and not isinstance(plan, type) else plan
    if not isinstance(data, dict):
        return _plan_lines(plan, depth=0)
    lines = []
    operation = data.get("operation")
    if operation:
        lines.append(f"- 运算：{OPERATION_NAMES.get(str(operation), escape_markdown(str(operation)))}")
    for key, name, names in (("carried", "沿用上文", CARRIED_NAMES), ("scope", "范围", SCOPE_NAMES)):
        value = data.get(key)
        if value:
            values = value if isinstance(value, (list, tuple)) else [value]
            text = "、".join(names.get(str(v), str(v)) for v in values)
            lines.append(f"- {name}：{escape_markdown(display_label(text))}")
    cells = data.get("cells") or ()
    if cells:
        lines.append("- 用到的数字：")
        for cell in cells:
            cell = asdict(cell) if is_dataclass(cell) else dict(cell)
            if "entity" in cell:
                value = cell.get("value")
                figure = f" = {escape_markdown(format_value(float(value), cell.get('unit', '')))}" if value is not None else ""
                measure = f"·{escape_markdown(display_label(cell['measure']))}" if cell.get("measure") else ""
                lines.append(
                    f"    - {escape_markdown(str(cell.get('table', '')))} {page_text(cell.get('page'))}"
                    f"“{escape_markdown(display_label(cell['entity']))}”{measure}{figure}"
                )
            else:  # a plan of another shape: its fields as they are
                lines.extend(_plan_lines([cell], depth=1))
    for step in data.get("steps") or ():
        lines.append(f"- {escape_markdown(display_label(str(step)))}")
    extra = {k: v for k, v in data.items() if k not in ("operation", "carried", "scope", "cells", "steps", "subjects", "measures", "open")}
    if extra:
        lines.extend(_plan_lines(extra, depth=0))
    return lines


def _plan_lines(plan, *, depth: int) -> list[str]:
    """Any plan structure (dataclass, mapping, sequence or text) as an indented list with Chinese field names."""
    pad = "    " * depth
    if is_dataclass(plan) and not isinstance(plan, type):
        plan = asdict(plan)
    if isinstance(plan, dict):
        lines = []
        for key, value in plan.items():
            if value in (None, "", (), [], {}):
                continue
            name = PLAN_FIELD_NAMES.get(str(key), str(key))
            if isinstance(value, float):
                value = format_value(value)
            if key == "operation":
                value = OPERATION_NAMES.get(str(value), value)
            if isinstance(value, (dict, list, tuple)) or is_dataclass(value):
                lines.append(f"{pad}- {name}：")
                lines.extend(_plan_lines(value, depth=depth + 1))
            else:
                lines.append(f"{pad}- {name}：{escape_markdown(display_label(str(value)))}")
        return lines
    if isinstance(plan, (list, tuple)):
        lines = []
        for item in plan:
            if is_dataclass(item) and not isinstance(item, type):
                item = asdict(item)
            if isinstance(item, dict) and not any(isinstance(v, (dict, list, tuple)) for v in item.values()):
                # a flat record (a cell: table, row, column, page) reads best on one line
                fields = [
                    f"{PLAN_FIELD_NAMES.get(str(k), str(k))}："
                    f"{escape_markdown(display_label(format_value(v) if isinstance(v, float) else str(v)))}"
                    for k, v in item.items()
                    if v not in (None, "")
                ]
                lines.append(f"{pad}- {'，'.join(fields)}")
            elif isinstance(item, (dict, list, tuple)):
                lines.extend(_plan_lines(item, depth=depth + 1))
            else:
                lines.append(f"{pad}- {escape_markdown(display_label(str(item)))}")
        return lines
    return [f"{pad}- {escape_markdown(display_label(str(plan)))}"]


def answer_markdown(answer: Answer, *, report: str = "") -> str:
    """The chat message for one answer: what the reader is told, then a collapsed “如何得出” when there is a plan."""
    how = how_markdown(answer)
    body = answer_body(answer, report=report)
    return f"{body}\n\n{how_block(how)}" if how else body


def how_block(markdown: str) -> str:
    """A collapsed block titled 如何得出 (HTML details; its body stays Markdown)."""
    return f'<details class="how"><summary>如何得出</summary>\n\n{markdown}\n\n</details>'


def _source_phrase(citation: Citation) -> str:
    label = f"《{escape_markdown(display_label(citation.label))}》"
    if citation.row:
        return f"{label}“{escape_markdown(display_label(citation.row))}”行"
    return label


def answer_citations(answer: Answer) -> tuple[Citation, ...]:
    """Every citation an answer offers: its own, then each candidate's (deduplicated)."""
    seen: list[Citation] = []
    for c in (*answer.citations, *(c.citation for c in answer.candidates)):
        if c not in seen:
            seen.append(c)
    return tuple(seen)


@dataclass(frozen=True)
class Source:
    """A citation with the figure read from its cell (when it is a table cell), so the page frames that cell."""

    citation: Citation
    value: float | None = None
    column: str = ""


def answer_sources(answer: Answer) -> tuple[Source, ...]:
    """Each citation of an answer with the cell figure the plan (or the candidate) read there."""
    plan = getattr(answer, "plan", None)
    cells = list(getattr(plan, "cells", ()) or ())
    figures: dict[Citation, tuple[float, str]] = {}
    for c in answer.candidates:
        figures.setdefault(c.citation, (c.value, ""))
    out = []
    for citation in answer_citations(answer):
        value, column = figures.get(citation, (None, ""))
        if value is None and citation.row:
            row = compact(citation.row)
            for cell in cells:
                entity = compact(str(getattr(cell, "entity", "")))
                if getattr(cell, "page", None) == citation.page and entity and (entity in row or row in entity):
                    value, column = getattr(cell, "value", None), str(getattr(cell, "measure", ""))
                    break
        if value is None and citation.row and len(answer.citations) == 1 and citation == answer.citations[0] \
                and answer.kind == "number" and answer.route.kind == "lookup" and not cells:
            value = answer.value
        out.append(Source(citation, value, column))
    return tuple(out)


def quote_markdown(citation: Citation, *, note: str = "") -> str:
    """The sources panel text: label, page, row and the quoted passage."""
    lines = [f"**{escape_markdown(display_label(citation.label))}**　{page_text(citation.page)}"]
    if citation.row:
        lines.append(f"引用行：{escape_markdown(display_label(citation.row))}")
    if citation.quote:
        quoted = "\n".join(f"> {escape_markdown(line)}" for line in citation.quote.splitlines() if line.strip())
        lines.append(quoted)
    return _with_note("\n\n".join(lines), note)


# --- page images ---


@dataclass(frozen=True)
class Box:
    """A rectangle on a PDF page in points, origin top-left (pdfplumber's top/bottom)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class _Glyph:
    char: str  # one character of the compacted text
    box: Box
    line: int


@dataclass(frozen=True)
class _PageText:
    glyphs: tuple[_Glyph, ...]
    text: str  # "".join(g.char for g in glyphs): blank-free, normalized, in reading order
    rotated: bool


_pdf_lock = threading.Lock()  # pdfium is not thread-safe, and Gradio handlers run in threads


def _file_key(path: str | Path) -> tuple[str, int]:
    p = Path(path)
    return str(p.resolve()), p.stat().st_mtime_ns


@lru_cache(maxsize=64)
def _page_text(path: str, mtime_ns: int, page: int) -> _PageText:
    import pdfplumber

    with _pdf_lock, pdfplumber.open(path) as pdf:
        p = pdf.pages[page - 1]
        rotated = bool(p.rotation % 360)
        lines = p.extract_text_lines(return_chars=True, strip=True)
    glyphs: list[_Glyph] = []
    for n, line in enumerate(lines):
        for ch in line["chars"]:
            box = Box(float(ch["x0"]), float(ch["top"]), float(ch["x1"]), float(ch["bottom"]))
            glyphs.extend(_Glyph(c, box, n) for c in compact(ch["text"]))
    return _PageText(tuple(glyphs), "".join(g.char for g in glyphs), rotated)


@lru_cache(maxsize=12)
def _page_bitmap(path: str, mtime_ns: int, page: int) -> Image.Image:
    import pypdfium2

    with _pdf_lock:
        document = pypdfium2.PdfDocument(path)
        try:
            image = document[page - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
        finally:
            document.close()
    return image


def page_count(path: str | Path) -> int:
    """Number of pages in a PDF (cached per file version)."""
    return _page_count(*_file_key(path))


@lru_cache(maxsize=64)
def _page_count(path: str, mtime_ns: int) -> int:
    import pypdfium2

    with _pdf_lock:
        document = pypdfium2.PdfDocument(path)
        try:
            return len(document)
        finally:
            document.close()


_FIGURE_CHARS = set("0123456789.,-%")


@dataclass(frozen=True)
class _Figure:
    """A number printed on a page: its text and where it stands."""

    text: str
    box: Box
    line: int

    @property
    def value(self) -> float | None:
        try:
            return float(self.text.replace(",", "").rstrip("%"))
        except ValueError:
            return None


def _figures(text: _PageText) -> list[_Figure]:
    """The numbers on a page, split where the print leaves a gap (compacted text runs '27 809.69' together)."""
    figures: list[_Figure] = []
    run: list[_Glyph] = []

    def close():
        if run and any(g.char.isdigit() for g in run):
            figures.append(_Figure("".join(g.char for g in run), _union([g.box for g in run]), run[0].line))
        run.clear()

    for glyph in text.glyphs:
        if glyph.char not in _FIGURE_CHARS:
            close()
            continue
        if run:
            last = run[-1]
            width = max(last.box.x1 - last.box.x0, 1.0)
            if glyph.line != last.line or glyph.box.x0 - last.box.x1 > 0.6 * width or glyph.box.x0 < last.box.x0:
                close()
        run.append(glyph)
    close()
    return figures


def find_cell(path: str | Path, page: int, *, row: str, value: float, column: str = "") -> Box | None:
    """The box of the cited cell: the figure equal to the value on the row's line, right of its label.

    Several equal figures on the line (收入 and 支出 sides of a 收支总表, 合计 equal to 基本支出) are told apart
    by the label (the cell is the first one after its own label), then by the column's header above it.
    A table printed across (三公经费: the items are column headers) is read down from the headers."""
    text = _page_text(*_file_key(path), page)
    if text.rotated or value is None:
        return None
    figures = [f for f in _figures(text) if f.value is not None and abs(f.value - value) < 0.005]
    if not figures:
        return None
    anchors = _row_anchors(text, row) if row else []
    for label in anchors:
        middle = (label.top + label.bottom) / 2
        reach = max(label.bottom - label.top, 8.0)
        right = [f for f in figures if f.box.x0 >= label.x1 - 1 and abs((f.box.top + f.box.bottom) / 2 - middle) <= reach]
        if right:
            nearest = min(abs((f.box.top + f.box.bottom) / 2 - middle) for f in right)
            right = [f for f in right if abs((f.box.top + f.box.bottom) / 2 - middle) <= nearest + 3]
            chosen = _by_header(text, right, column, above=label.top) or min(right, key=lambda f: f.box.x0)
            return chosen.box
    down = _down_from_headers(text, figures, anchors, column)
    if down is not None:
        return down.box
    return figures[0].box if len(figures) == 1 else None


_CODE = re.compile(r"^\s*(\d{3,})\s*")


def _row_anchors(text: _PageText, row: str) -> list[Box]:
    """Where a row label is printed: the whole label, else its subject code, else its name or the name's start
    (a long name wraps inside its cell, and the code or figures may sit between its lines)."""
    code = _CODE.match(row)
    name = compact(row[code.end():] if code else row)
    tries = [compact(row)] + ([code.group(1)] if code else []) + [name]
    tries += [name[:n] for n in range(len(name) - 1, 3, -1)]
    for needle in tries:
        boxes = [_union([g.box for g in text.glyphs[s : s + len(needle)]]) for s in _occurrences(text.text, needle)]
        if needle.isdigit():  # a code is a whole printed number, not part of a longer one
            boxes = [b for b in boxes if any(f.box == b for f in _figures(text))]
        if boxes:
            return boxes
    return []


def _header_boxes(text: _PageText, column_level: str) -> list[Box]:
    header = compact(re.sub(r"[(（].*?[)）]", "", column_level))
    if not header:
        return []
    return [_union([g.box for g in text.glyphs[s : s + len(header)]]) for s in _occurrences(text.text, header)]


def _by_header(text: _PageText, figures: list[_Figure], column: str, *, above: float) -> _Figure | None:
    """Among equal figures on one line, the one under the column's printed header (its last level)."""
    if len(figures) < 2 or not column:
        return None
    heads = [b for b in _header_boxes(text, column.split("›")[-1]) if b.bottom <= above]
    if not heads:
        return None
    head = max(heads, key=lambda b: b.top)  # the nearest header above the row
    middle = (head.x0 + head.x1) / 2
    return min(figures, key=lambda f: abs((f.box.x0 + f.box.x1) / 2 - middle))


def _down_from_headers(text: _PageText, figures: list[_Figure], anchors: list[Box], column: str) -> _Figure | None:
    """A table printed across: the item is a header, the column's last level (预算数/决算数) a header under it,
    and the cell the equal figure under that."""
    levels = [level.strip() for level in column.split("›") if level.strip()] if column else []
    groups = list(anchors) + [b for level in reversed(levels[:-1]) for b in _header_boxes(text, level)]
    for group in groups:
        centre = (group.x0 + group.x1) / 2
        below = [f for f in figures if f.box.top > group.bottom]
        if levels:
            subs = [b for b in _header_boxes(text, levels[-1]) if b.top > group.bottom]
            subs = [b for b in subs if abs((b.x0 + b.x1) / 2 - centre) <= (group.x1 - group.x0) / 2 + 40]
            if subs:
                sub = min(subs, key=lambda b: (b.top, abs((b.x0 + b.x1) / 2 - centre)))
                sub_centre = (sub.x0 + sub.x1) / 2
                under = [f for f in below if f.box.top > sub.bottom and abs((f.box.x0 + f.box.x1) / 2 - sub_centre) <= 20]
                if under:
                    return min(under, key=lambda f: f.box.top)
        under = [f for f in below if abs((f.box.x0 + f.box.x1) / 2 - centre) <= (group.x1 - group.x0) / 2 + 10]
        if under:
            return min(under, key=lambda f: f.box.top)
    return None


def find_highlights(path: str | Path, page: int, *, row: str = "", quote: str = "") -> list[Box]:
    """Boxes around the cited row (the whole table row) or else the quoted passage on a page."""
    text = _page_text(*_file_key(path), page)
    if text.rotated:
        return []  # pdfplumber's boxes are unrotated; a wrong highlight is worse than none
    if row:
        boxes = _row_band(text, row, quote)
        if boxes:
            return boxes
    if quote:
        return _passage_boxes(text, quote)
    return []


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, start = [], haystack.find(needle)
    while needle and start >= 0:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def _union(boxes: list[Box]) -> Box:
    return Box(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))


def _row_band(text: _PageText, row: str, quote: str) -> list[Box]:
    """The horizontal band through the row label, across every cell on that line."""
    needle = compact(row)
    starts = _occurrences(text.text, needle)
    if not starts and len(needle) > 8:
        # a long row label may wrap inside its cell; its first characters still sit on the row
        needle = needle[:8]
        starts = _occurrences(text.text, needle)
    if not starts:
        return []
    numbers = re.findall(r"\d[\d,.]*%?", compact(quote))
    best: tuple[int, int, Box] | None = None
    for order, start in enumerate(starts):
        label = _union([g.box for g in text.glyphs[start : start + len(needle)]])
        members = [g for g in text.glyphs if label.top - 1 <= (g.box.top + g.box.bottom) / 2 <= label.bottom + 1]
        band = _union([g.box for g in members] or [label])
        band_text = "".join(g.char for g in members)
        score = sum(1 for n in numbers if n in band_text)
        if best is None or score > best[0]:
            best = (score, -order, band)
    return [best[2]] if best else []


def _passage_boxes(text: _PageText, quote: str) -> list[Box]:
    """One box per printed line covered by the quote, or by its longer clauses."""
    needle = compact(quote)
    spans = [(s, s + len(needle)) for s in _occurrences(text.text, needle)[:1]]
    if not spans:
        for segment in re.split(r"[，。；：、,;:（）()“”\"'…!！?？\s]+|\.{3}", quote):
            piece = compact(segment)
            if len(piece) >= _MIN_SEGMENT:
                spans.extend((s, s + len(piece)) for s in _occurrences(text.text, piece)[:1])
    lines: dict[int, list[Box]] = {}
    for start, end in spans:
        for g in text.glyphs[start:end]:
            lines.setdefault(g.line, []).append(g.box)
    return [_union(boxes) for _, boxes in sorted(lines.items())]


def render_page(path: str | Path, page: int, highlights: list[Box] = (), cells: list[Box] = ()) -> Image.Image:
    """The page as an image with translucent boxes over the highlighted areas and a strong frame round each cell."""
    base = _page_bitmap(*_file_key(path), page)
    if not highlights and not cells:
        return base.copy()
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)

    def rect(b: Box, pad: float) -> list[float]:
        return [(b.x0 - pad) * RENDER_SCALE, (b.top - pad) * RENDER_SCALE, (b.x1 + pad) * RENDER_SCALE, (b.bottom + pad) * RENDER_SCALE]

    for b in highlights:
        if cells:
            draw.rectangle(rect(b, 2.0), fill=ROW_FILL)
        else:
            draw.rectangle(rect(b, 2.0), fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=3)
    for b in cells:
        draw.rectangle(rect(b, 3.0), fill=HIGHLIGHT_FILL, outline=CELL_EDGE, width=4)
    return Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")


@dataclass(frozen=True)
class CitationView:
    """What the sources panel shows for one citation."""

    image: Image.Image | None  # the highlighted rows with the page around them, cropped to read at panel width
    text: str  # markdown: label, page, row, quote, and a note when there is no image
    highlighted: bool
    page: Image.Image | None = None  # the whole page, margins trimmed
    cell_x: float | None = None  # where the framed cell stands across the image (0–1), for a phone to pan to it


@dataclass(frozen=True)
class Mark:
    """Something to box on a page: a table row (its label, with a figure printed in it) or a passage."""

    row: str = ""
    quote: str = ""
    value: float | None = None  # the cited cell's figure: the cell is framed, not only its row
    column: str = ""  # the cell's column, to choose among equal figures on the row


def citation_view(citation: Citation, report_path: str | Path | None, *, value: float | None = None,
                  column: str = "", note: str = "") -> CitationView:
    """The cited page with the row or passage highlighted (and the cell framed when its figure is known)."""
    mark = Mark(citation.row, citation.quote, value, column)
    return page_view(report_path, citation.page, [mark], quote_markdown(citation, note=note))


def page_view(report_path: str | Path | None, page: int | None, marks: list[Mark], text: str) -> CitationView:
    """One page of a report with every mark boxed; `text` (markdown) goes under it, with a note when needed."""
    path = Path(report_path) if report_path else None
    if path is None or path.suffix.lower() != ".pdf" or not path.exists():
        from_text = path is not None and path.suffix.lower() != ".pdf"
        note = "这份报告是从文本导入的，没有页面图像。" if from_text else "找不到报告的 PDF 文件，只能显示引文。"
        return CitationView(None, _with_note(text, note), False)
    if not page:
        return CitationView(None, _with_note(text, "这条引用没有页码，只能显示引文。"), False)
    pages = page_count(path)
    if page > pages:
        return CitationView(None, _with_note(text, f"报告只有 {pages} 页，无法显示第{page}页。"), False)
    boxes: list[Box] = []
    cells: list[Box] = []
    for mark in marks:
        boxes.extend(b for b in find_highlights(path, page, row=mark.row, quote=mark.quote) if b not in boxes)
        if mark.value is not None and mark.row:
            cell = find_cell(path, page, row=mark.row, value=mark.value, column=mark.column)
            if cell is not None and cell not in cells:
                cells.append(cell)
    if cells:  # the row band that runs through the cell (a label printed twice on the page has two)
        boxes = [b for b in boxes if any(_overlaps(b, c) for c in cells)]
    note = "" if boxes or cells else "未能在页面上定位引文，请对照下方文字。"
    marked = render_page(path, page, boxes, cells)
    whole = trim_margins(marked)
    image = focus(marked, boxes + cells) if boxes or cells else whole
    cell_x = None
    if cells and image is not None:
        left = _focus_left(marked, image)
        cell_x = ((cells[0].x0 + cells[0].x1) / 2 * RENDER_SCALE - left) / image.width
    return CitationView(image, _with_note(text, note), bool(boxes or cells), whole, cell_x)


def _overlaps(a: Box, b: Box) -> bool:
    return a.top <= b.bottom and b.top <= a.bottom


def _with_note(text: str, note: str) -> str:
    return f"{text}\n\n_{note}_" if note else text


def focus(image: Image.Image, boxes: list[Box], *, aspect: float = 0.45, pad: int = 40) -> Image.Image:
    """The printed width of the page, cut to a band around the boxes: readable at panel width, whole rows kept."""
    ink = _ink_box(image) or (0, 0, image.width, image.height)
    left, right = max(ink[0] - pad, 0), min(ink[2] + pad, image.width)
    top = min(b.top for b in boxes) * RENDER_SCALE
    bottom = max(b.bottom for b in boxes) * RENDER_SCALE
    height = max(round((right - left) * aspect), round(bottom - top) + 2 * pad)
    page_top, page_bottom = max(ink[1] - pad, 0), min(ink[3] + pad, image.height)
    # the boxes a third of the way down: the table header above them is usually what a reader wants
    y0 = round(top - (height - (bottom - top)) / 3)
    y0 = max(page_top, min(y0, page_bottom - height))
    y1 = min(page_bottom, max(y0, 0) + height)
    return image.crop((left, max(y0, 0), right, y1))


def _focus_left(page: Image.Image, crop: Image.Image) -> int:
    """The left edge `focus` cut the page at (it keeps the printed width plus its padding)."""
    ink = _ink_box(page) or (0, 0, page.width, page.height)
    return max(ink[0] - 40, 0)


def _ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    return ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 16 else 0).getbbox()


def trim_margins(image: Image.Image, *, pad: int = 40) -> Image.Image:
    """Crop the blank paper around the printed area so the panel shows the content larger."""
    box = _ink_box(image)
    if box is None:
        return image
    x0, y0, x1, y1 = box
    return image.crop((max(x0 - pad, 0), max(y0 - pad, 0), min(x1 + pad, image.width), min(y1 + pad, image.height)))
