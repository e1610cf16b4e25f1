"""Tables printed without ruling lines: rows and columns from the positions of the words.

pdfplumber finds a table by its ruling lines; some reports print tables without them. On such a
page, every line under a table title (and on the pages the table continues to) is cut into cells at
wide gaps, and the cells are put into columns by where they sit: amounts align on their right edge,
labels and codes on their left, headers are centred over their column.
"""

from __future__ import annotations

import re

_NUMERIC = re.compile(r"^[-−]?[\d,]+(?:\.\d+)?%?$")
_ANCHOR_TOLERANCE = 8.0  # points: how far apart two cells of one column may sit


def segments(line: dict) -> list[dict]:
    """A line's cells: runs of characters separated by gaps wider than half the font size."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    out: list[dict] = []
    for ch in chars:
        size = max(ch["bottom"] - ch["top"], 1.0)
        gap = ch["x0"] - out[-1]["x1"] if out else 0.0
        # A figure running into a label ("9746.50 一、一般公共服务支出") is two cells even when close.
        switches = bool(out) and _is_figure_char(out[-1]["text"][-1]) != _is_figure_char(ch["text"])
        # Split generously: pieces of one cell land in the same column and are joined again there.
        if out and gap <= 0.5 * size and not (switches and gap > 0.25 * size):
            out[-1]["text"] += ch["text"]
            out[-1]["x1"] = ch["x1"]
        else:
            out.append({"text": ch["text"], "x0": ch["x0"], "x1": ch["x1"]})
    for seg in out:
        seg["numeric"] = bool(_NUMERIC.match(seg["text"]))
    return out


def _is_figure_char(ch: str) -> bool:
    return ch.isdigit() or ch in ".,%-−"


def table_rows(lines: list[dict], evidence: list[dict] | None = None) -> list[tuple[str, ...]]:
    """The lines of one unruled table (one page of it) as rows of cells aligned to common columns.

    evidence: the cells of the same table on earlier pages, so that a table running over pages
    keeps one set of columns.
    """
    cut = [segments(line) for line in lines]
    columns = _columns([seg for row in cut for seg in row] + list(evidence or []))
    first_figures = next((i for i, row in enumerate(cut) if any(s["numeric"] for s in row)), len(cut))
    rows: list[list[str]] = []
    for i, row in enumerate(cut):
        cells = [""] * len(columns)
        taken = {_column_of(seg, columns) for seg in row}
        for seg in row:
            j = _column_of(seg, columns)
            # Above the first row of figures, a header is centred over the columns it spans.
            a, b = _span(seg, j, columns, taken) if i < first_figures else (j, j)
            for k in range(a, b + 1):
                cells[k] = (cells[k] + seg["text"]) if cells[k] else seg["text"]
        filled = [j for j, c in enumerate(cells) if c]
        if rows and len(filled) == 1 and len(cells[filled[0]]) <= 6 and not _NUMERIC.match(cells[filled[0]]):
            j = filled[0]
            if rows[-1][j] and not _NUMERIC.match(rows[-1][j]):
                rows[-1][j] += cells[j]  # the wrapped tail of a label ("…应急管理支" / "出")
                continue
        rows.append(cells)
    if evidence is not None:
        evidence.extend(seg for row in cut for seg in row)
    return [tuple(r) for r in rows]


def _columns(segs: list[dict]) -> list[tuple[float, float]]:
    """Column extents (x0, x1), left to right, from the cells of the rows that hold figures or codes."""
    clusters: list[list[dict]] = []
    for seg in sorted(segs, key=lambda s: _anchor(s)):
        if clusters and _anchor(seg) - _anchor(clusters[-1][-1]) <= _ANCHOR_TOLERANCE and (
            clusters[-1][-1]["numeric"] == seg["numeric"]
        ):
            clusters[-1].append(seg)
        else:
            clusters.append([seg])
    # A column has cells in several rows; a lone header cell makes a column only where no other column is
    # (the header of a column that is blank in every row: 上级补助收入 of a department without any).
    def extent(cluster: list[dict]) -> tuple[float, float]:
        return (min(s["x0"] for s in cluster), max(s["x1"] for s in cluster))

    extents = [extent(c) for c in clusters if len(c) >= 2]
    lone = sorted((extent(c) for c in clusters if len(c) == 1), key=lambda e: e[0] - e[1])
    for candidate in lone:
        if not any(_overlap(candidate, e) > 0 for e in extents):
            extents.append(candidate)
    extents.sort()
    merged: list[tuple[float, float]] = []
    for x0, x1 in extents:
        if merged and _overlap((x0, x1), merged[-1]) > 0.5 * min(x1 - x0, merged[-1][1] - merged[-1][0]):
            merged[-1] = (min(merged[-1][0], x0), max(merged[-1][1], x1))
        else:
            merged.append((x0, x1))
    return merged or [(0.0, 1e9)]


def _span(seg: dict, j: int, columns: list[tuple[float, float]], taken: set[int]) -> tuple[int, int]:
    """The run of columns a header cell is centred over: its own column unless it sits centred over a
    wider run of columns that no other cell of its row claims ("收入" over 项目 and 决算数)."""
    centre = (seg["x0"] + seg["x1"]) / 2
    best, best_distance = (j, j), abs((columns[j][0] + columns[j][1]) / 2 - centre)
    for a in range(j, -1, -1):
        if a != j and a in taken:
            break
        for b in range(j, len(columns)):
            if b != j and b in taken:
                break
            if (a, b) == (j, j):
                continue
            width = columns[b][1] - columns[a][0]
            distance = abs((columns[a][0] + columns[b][1]) / 2 - centre)
            if distance + 4.0 < best_distance and distance <= 0.1 * width:
                best, best_distance = (a, b), distance
    return best


def _anchor(seg: dict) -> float:
    return seg["x1"] if seg["numeric"] else seg["x0"]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _column_of(seg: dict, columns: list[tuple[float, float]]) -> int:
    span = (seg["x0"], seg["x1"])
    best = max(range(len(columns)), key=lambda j: _overlap(span, columns[j]))
    if _overlap(span, columns[best]) > 0:
        return best
    centre = (seg["x0"] + seg["x1"]) / 2
    return min(range(len(columns)), key=lambda j: abs((columns[j][0] + columns[j][1]) / 2 - centre))
