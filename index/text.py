"""Read a report exported as plain text (tables as TAB-separated lines) into the block stream."""

from __future__ import annotations

from pathlib import Path

from index.errors import ReportError
from index.model import Block, Line, Row
from index.normalize import normalize


def read_text(path: Path) -> list[Block]:
    """Lines without a TAB are text; lines with one are table rows. No page numbers."""
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
    for raw_line in text.splitlines():
        if "\t" in raw_line:
            cells = tuple(normalize(c) for c in raw_line.split("\t"))
            if any(cells):
                blocks.append(Row(None, cells))
            continue
        line = normalize(raw_line)
        if line:
            blocks.append(Line(None, line))
    return blocks
