"""Read a report exported as plain text (tables as TAB-separated lines) into the block stream."""

from __future__ import annotations

import re
from pathlib import Path

from index.errors import ReportError
from index.model import Block, Line, Row
from index.normalize import normalize


_PAGE_MARK = re.compile(r"^\s*=+\s*page\s+(\d+)\s*=+\s*$", re.IGNORECASE)


def read_text(path: Path) -> list[Block]:
    """Lines without a TAB are text; lines with one are table rows.

    Page numbers come from page markers ("=== page 7 ===") or form feeds (pdftotext's page breaks);
    an export with neither has no page numbers.
    """
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ReportError(str(path), f"无法读取文件（{e.strerror}）") from e
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReportError(str(path), "文本编码无法识别（请使用 UTF-8 或 GB18030）")
    if "\x00" in text:
        raise ReportError(str(path), "不是文本文件")
    blocks: list[Block] = []
    page: int | None = 1 if "\f" in text else None
    for raw_line in text.split("\n"):
        if "\f" in raw_line:
            page = (page or 1) + raw_line.count("\f")
            raw_line = raw_line.replace("\f", "")
        marker = _PAGE_MARK.match(raw_line)
        if marker:
            page = int(marker.group(1))
            continue
        if "\t" in raw_line:
            cells = tuple(normalize(c) for c in raw_line.rstrip("\r").split("\t"))
            if any(cells):
                blocks.append(Row(page, cells))
            continue
        line = normalize(raw_line)
        if line:
            blocks.append(Line(page, line))
    return blocks
