"""Read a report PDF into a stream of text lines and table rows, page by page (pdfplumber)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from index.errors import ReportError
from index.model import Block, Line, Row
from index.normalize import garbled_share, normalize
from index.vocabulary import starts_block

# pdfminer logs "Could not get FontBBox" and similar for every page of many government PDFs.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfContent:
    blocks: list[Block]
    page_count: int
    warnings: list[str]


MIN_PAGES_PER_PART = 8  # fewer pages than this per process are read in this one: starting a part costs more


@dataclass(frozen=True)
class _PageRead:
    """What reading one page gave."""

    blocks: list[Block]
    chars: int
    warnings: list[str]
    running: list[dict] | None  # the cells of an unruled table that runs on to the next page


def read_pdf(path: Path, *, pool=None) -> PdfContent:
    """Text lines (paragraph-joined) and ruled-table rows of every page, in reading order.

    pool, if given (a concurrent.futures executor of processes), reads parts of a long report's pages in
    its processes at once. A part starts as if no table ran on from the page before it; where one did,
    its first pages are read again here with the table that runs on, until the reading agrees with the
    part's, so the result is the same as reading page after page.
    """
    pdf = _open(path)
    with pdf:
        page_count = len(pdf.pages)
        workers = getattr(pool, "_max_workers", 1) if pool is not None else 1
        parts = min(workers, page_count // MIN_PAGES_PER_PART)
        if parts < 2:
            reads = _read_pages(pdf.pages, 1, page_count + 1)
        else:
            bounds = [1 + page_count * i // parts for i in range(parts + 1)]
            futures = [pool.submit(_read_part, str(path), a, b) for a, b in zip(bounds, bounds[1:])]
            reads = []
            for start, stop, future in zip(bounds, bounds[1:], futures):
                try:
                    part = future.result()
                except Exception:  # the pool could not run it (a process died, or could not start): read it here
                    part = _read_pages(pdf.pages, start, stop, page_count=page_count)
                reads.extend(_joined(pdf.pages, start, part, reads[-1].running if reads else None))
    blocks: list[Block] = [b for read in reads for b in read.blocks]
    warnings = [w for read in reads for w in read.warnings]
    if sum(read.chars for read in reads) == 0:
        raise ReportError(str(path), "PDF 没有文字层（可能是扫描件），请提供带文字的 PDF 或文本版")
    return PdfContent(blocks=blocks, page_count=page_count, warnings=warnings)


def _open(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(str(path))
        pdf.pages  # noqa: B018 — reading the page tree is where broken and encrypted files fail
    except PDFPasswordIncorrect as e:
        raise ReportError(str(path), "PDF 已加密，请提供未加密的文件") from e
    except PDFSyntaxError as e:
        raise ReportError(str(path), "不是有效的 PDF 文件（可能已损坏或不完整）") from e
    except Exception as e:
        if _is_encryption_error(e):
            raise ReportError(str(path), "PDF 已加密，请提供未加密的文件") from e
        if _is_syntax_error(e):
            raise ReportError(str(path), "不是有效的 PDF 文件（可能已损坏或不完整）") from e
        raise ReportError(str(path), f"无法读取 PDF（{type(e).__name__}）") from e
    return pdf


def _read_part(path: str, start: int, stop: int) -> list[_PageRead]:
    """Pages start..stop-1 (numbered from 1) of a file, read in a pool's process."""
    with _open(Path(path)) as pdf:
        return _read_pages(pdf.pages, start, stop, page_count=len(pdf.pages))


def _joined(pages, start: int, part: list[_PageRead], running: list[dict] | None) -> list[_PageRead]:
    """A part read from page `start` as if nothing ran on into it, corrected for the table that did."""
    out = list(part)
    for i, read in enumerate(part):
        if running is None and i == 0:
            return out  # nothing ran on: the part's own reading stands
        (again,) = _read_pages(pages, start + i, start + i + 1, running, page_count=len(pages))
        out[i] = again
        if again.running == read.running:
            return out  # the same state leaves this page: the rest of the part reads the same
        running = again.running
    return out


def _read_pages(pages, start: int, stop: int, running: list[dict] | None = None, *, page_count: int | None = None):
    """Read pages start..stop-1 (numbered from 1) in order, a table that runs on carried from page to page."""
    page_count = len(pages) if page_count is None else page_count
    reads: list[_PageRead] = []
    for number in range(start, stop):
        try:
            page_blocks, chars, running = _read_page(pages[number - 1], number, running)
        except Exception as e:  # one broken page must not lose the others
            reads.append(_PageRead([], 0, [f"第{number}页无法解析（{type(e).__name__}），已跳过"], running))
            continue
        warnings = []
        page_text = "".join(b.text if isinstance(b, Line) else "".join(b.cells) for b in page_blocks)
        if garbled_share(page_text) > 0.05:
            warnings.append(f"第{number}页有无法解码的字符（cid），该页数字可能不全")
        if not page_blocks and page_count > 1:
            warnings.append(f"第{number}页没有可提取的文字")
        reads.append(_PageRead(page_blocks, chars, warnings, running))
    return reads


def _read_page(page, number: int, in_unruled: list[dict] | None = None) -> tuple[list[Block], int, list[dict] | None]:
    """A page's blocks, its character count, and the cells of an unruled table that runs on to the next page."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    free = page.filter(outside_tables) if boxes else page
    raw_lines = text_lines(free.chars)
    items: list[tuple[float, Block]] = []
    if not tables:
        raw_lines, unruled, in_unruled = _unruled_table(raw_lines, in_unruled)
        items.extend((top, Row(number, cells, ruled=False)) for top, cells in unruled)
    else:
        in_unruled = None
    right_edge = max((ln["x1"] for ln in raw_lines), default=0.0)
    left_edge = min((ln["x0"] for ln in raw_lines), default=0.0)
    paragraph: list[str] = []
    paragraph_top = 0.0
    for ln in raw_lines:
        text = normalize(ln["text"])
        if not text:
            continue
        if paragraph and starts_block(text):
            items.append((paragraph_top, Line(number, _join(paragraph))))
            paragraph = []
        if not paragraph:
            paragraph_top = ln["top"]
        paragraph.append(text)
        # A line that runs to the right margin continues on the next line (wrapped paragraph).
        # A centred line (a cover title) is never a wrapped paragraph line.
        wrapped = ln["x1"] >= right_edge - 24 and ln["x0"] <= left_edge + 40 and left_edge < page.width * 0.25
        if not wrapped or _ends_paragraph(text):
            items.append((paragraph_top, Line(number, _join(paragraph))))
            paragraph = []
    if paragraph:
        items.append((paragraph_top, Line(number, _join(paragraph))))
    for table in tables:
        for cells in table.extract():
            row = tuple(normalize(c or "").replace("\n", "") for c in cells)
            if any(row):
                items.append((table.bbox[1], Row(number, row)))
    # Stable sort keeps table rows in order behind their table's top edge.
    items.sort(key=lambda pair: pair[0])
    chars = len(page.chars)
    return [block for _, block in items], chars, in_unruled


def _unruled_table(
    lines: list[dict], running: list[dict] | None
) -> tuple[list[dict], list[tuple[float, tuple[str, ...]]], list[dict] | None]:
    """Split a page without ruled tables into text lines and the rows of an unruled table, if any.

    A table starts after a table title (and its unit line) or runs on from the previous page, and
    ends at its note ("注：…"), a part heading or a sentence.
    """
    from index.structure import is_table_title
    from index.unruled import segments

    text: list[dict] = []
    body: list[dict] = []
    rows: list[tuple[float, tuple[str, ...]]] = []
    evidence = running  # None: not inside an unruled table

    def flush() -> bool:
        """Rows of the body read so far; a body with no grid (a contents list under a caption) is text."""
        if body and not _tabular(body, evidence):
            text.extend(body)
            return False
        rows.extend(_rows_of(body, evidence))
        return True

    for line in lines:
        content = normalize(line["text"])
        if is_table_title(content):
            flush()
            body, evidence = [], []
            text.append(line)
            continue
        if evidence is not None and (
            re.match(r"^(注|说明|备注)\s*[:：]|^第[一二三四五六七八九十]+部分", content)
            or (len(segments(line)) == 1 and len(content) > 30)
        ):
            flush()
            body, evidence = [], None
        if evidence is not None and not re.match(r"^(金额)?单位\s*[:：]|^部门\s*[:：]", content):
            body.append(line)
        else:
            text.append(line)
    if not flush():
        evidence = None  # nothing tabular ran to the page's end: the next page does not continue a table
    text.sort(key=lambda line: line["top"])
    return text, rows, evidence


def _tabular(body: list[dict], evidence: list[dict] | None) -> bool:
    """Whether lines under a caption are a grid: some line has several cells or a figure, or an
    earlier page of the same table was one."""
    from index.unruled import segments

    if evidence:
        return True
    cut = [segments(line) for line in body]
    return any(len(cells) >= 2 or any(c["numeric"] for c in cells) for cells in cut)


def _rows_of(body: list[dict], evidence: list[dict] | None) -> list[tuple[float, tuple[str, ...]]]:
    from index.unruled import table_rows

    if len(body) < 2:
        return []
    return [(line["top"], tuple(normalize(c) for c in cells)) for line, cells in zip(body, table_rows(body, evidence))]


def text_lines(chars: list[dict]) -> list[dict]:
    """Characters grouped into lines by geometry, relative to their size, in reading order.

    A character joins a line when its box overlaps the line's band by half its height: digits set
    a few points below the Chinese text of the same row (a common export quirk) stay on that row,
    while the next line, a full line height lower, does not overlap. Within a line, characters are
    ordered left to right; a gap wider than a third of the font size becomes one space, except
    between CJK characters (justified text such as "本 年 收 入 合 计" is one word).
    """
    lines: list[dict] = []
    for ch in sorted((c for c in chars if c.get("text")), key=lambda c: (c["top"], c["x0"])):
        height = max(ch["bottom"] - ch["top"], 1.0)
        target = None
        for line in reversed(lines[-4:]):
            overlap = min(line["bottom"], ch["bottom"]) - max(line["top"], ch["top"])
            if overlap >= 0.5 * min(height, line["height"]):
                target = line
                break
        if target is None:
            lines.append({"top": ch["top"], "bottom": ch["bottom"], "height": height, "chars": [ch]})
        else:
            target["chars"].append(ch)
            # The band stays the line's main run: an offset digit must not stretch it onto the next line.
            if height > target["height"]:
                target.update(top=ch["top"], bottom=ch["bottom"], height=height)
    out = []
    for line in lines:
        row = sorted(line["chars"], key=lambda c: c["x0"])
        visible = [c for c in row if c["text"].strip()]
        if not visible:
            continue
        text = visible[0]["text"]
        prev = visible[0]
        spaced = False  # a space glyph the PDF itself printed since the previous character
        for ch in row[row.index(prev) + 1 :]:
            if not ch["text"].strip():
                spaced = True
                continue
            gap = ch["x0"] - prev["x1"]
            size = max(prev["bottom"] - prev["top"], ch["bottom"] - ch["top"], 1.0)
            if (spaced or gap > size / 3) and not (_is_cjk(prev["text"]) and _is_cjk(ch["text"])):
                text += " "
            text += ch["text"]
            prev, spaced = ch, False
        out.append(
            {"text": text, "x0": visible[0]["x0"], "x1": visible[-1]["x1"], "top": line["top"], "bottom": line["bottom"],
             "chars": visible}
        )
    out.sort(key=lambda ln: (round(ln["top"]), ln["x0"]))
    return out


def _is_cjk(text: str) -> bool:
    return bool(text) and not text.isascii() and text not in "，。；：、（）“”《》%"


def _causes(error: BaseException) -> list[BaseException]:
    seen = [error]
    for arg in error.args:
        if isinstance(arg, BaseException):
            seen.append(arg)
    if error.__cause__ is not None:
        seen.append(error.__cause__)
    return seen


def _is_encryption_error(error: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return any(
        isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(e).lower()
        for e in _causes(error)
    )


def _is_syntax_error(error: BaseException) -> bool:
    from pdfminer.pdfparser import PDFSyntaxError

    return any(isinstance(e, PDFSyntaxError) for e in _causes(error))


def _ends_paragraph(text: str) -> bool:
    return text.endswith(("。", ":", "：")) and len(text) < 20


def _join(parts: list[str]) -> str:
    out = parts[0]
    for part in parts[1:]:
        # Chinese wraps without a space; Latin words and numbers keep one.
        if out and out[-1].isascii() and out[-1].isalnum() and part[:1].isascii() and part[:1].isalnum():
            out += " " + part
        else:
            out += part
    return out


