"""Turn raw tables into typed Tables and one Fact per non-empty numeric cell."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.model import Classification, Fact, Row, Table
from index.normalize import compact, join_cjk
from index.structure import RawTable
from index.vocabulary import (
    UNIT_PATTERN,
    is_measure_header,
    join_header_fragments,
    kind_of,
    states_absence,
    strip_ordinal,
)

_AMOUNT = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$")
_AMOUNT_WITH_UNIT = re.compile(r"^([-−]?[\d,]+(?:\.\d+)?)\s*(%|万元|元|亿元)$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_FRAGMENT = re.compile(r"^\d{2}$")
_CODE_PART = re.compile(r"^\d{2,7}$")  # a whole code or a 款/项 part: digits only, no decimal point
_CODE_PREFIX = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\S.*)$")
_QUANTITY = re.compile(
    r"^(?:[≥≤><]=?|不低于|不少于|大于|小于)?\s*([-−]?\d+(?:\.\d+)?)\s*"
    rf"({UNIT_PATTERN})"
    r"(?:以上|以下|以内)?$"
)
_AXIS = re.compile(r"^[类款项\s]+$")
_CATEGORY = re.compile(r"^绩效\S{0,4}型$")  # the 指标分类 column of 整体绩效自评表
_LABEL_HEADERS = ("项目", "科目名称", "名称")
_CODE_HEADERS = ("科目编码", "科目代码", "功能分类")


def classify(title: str) -> str:
    """The kind id of the table a title names ('other' when none matches)."""
    return kind_of(title).id


def parse_amount(cell: str) -> tuple[float, str] | None:
    """'4,816.74' → (4816.74, ''); '86.3%' → (86.3, '%'); '531.51万元' → (531.51, '万元')."""
    text = cell.replace(" ", "").replace("−", "-")
    if not text:
        return None
    if _AMOUNT.match(text):
        return float(text.replace(",", "")), ""
    m = _AMOUNT_WITH_UNIT.match(text)
    if m:
        return float(m.group(1).replace(",", "")), m.group(2)
    return None


def parse_quantity(cell: str) -> tuple[float, str] | None:
    """A performance-indicator cell that is one quantity: '71人', '≥98%', '95%以上', '6场'."""
    m = _QUANTITY.match(cell.replace(" ", ""))
    if not m:
        return None
    return float(m.group(1).replace("−", "-")), m.group(2)


def classification_of(code: str) -> Classification:
    """功能分类 codes start with 2 (201 / 20103 / 2010350); 经济分类 with 3 or 5 (301 / 30101)."""
    if not code:
        return ""
    if code[0] == "2" and len(code) in (3, 5, 7):
        return "功能分类"
    if code[0] in "35" and len(code) in (3, 5):
        return "经济分类"
    return ""


@dataclass(frozen=True)
class _Group:
    """One label/value group of a side-by-side layout (公开01/04: 收入 | 支出; 公开06: three groups)."""

    label_cols: tuple[int, ...]
    rownum_col: int | None
    value_cols: tuple[int, ...]


def build_table(report_id: str, raw: RawTable, *, default_unit: str = "万元") -> tuple[Table, list[Fact], list[str]]:
    """A typed Table, its facts, and warnings about anything that could not be read."""
    kind = classify(raw.title)
    rows = _tidy(_join_continuations(raw.rows))
    unit = raw.unit or _unit_in_rows(rows) or default_unit
    key = raw.key or raw.title
    project = _project_name(raw.title, rows) if kind == "project_performance" else ""
    title = _clean_title(raw.title)
    warnings: list[str] = []
    if kind in ("project_performance", "overall_performance"):
        header_rows, facts = _performance_facts(report_id, key, title, rows)
    else:
        header_rows, facts = _grid_facts(report_id, key, title, unit, rows)
    facts = [replace(f, table_kind=kind) for f in facts]
    table = Table(
        report_id=report_id,
        key=key,
        number=raw.number,
        title=title,
        kind=kind,
        unit=unit,
        pages=tuple(raw.pages),
        notes=tuple(raw.notes),
        rows=tuple(rows),
        header_rows=header_rows,
        project=project,
    )
    if kind == "other":
        warnings.append(f"表格“{title}”的标题不属于已知的决算表，已按通用表格读取")
    stated_empty = any(states_absence(text) for text in [*raw.notes, *(c for r in rows for c in r.cells if len(c) > 8)])
    if not facts and not stated_empty and kind not in ("state_capital", "government_fund"):
        warnings.append(f"表格“{key}”没有读到任何数字")
    elif facts and not any(f.value for f in facts) and not stated_empty and not kind_of(raw.title).may_be_empty:
        # A department always has income and spending: a table of only zeros was misread, not empty.
        warnings.append(f"表格“{key}”读到的数字全为 0，可能未能正确读取，请核对原表")
    return table, facts, warnings


def _clean_title(title: str) -> str:
    return strip_ordinal(join_cjk(title)).strip()


def _tidy(rows: list[Row]) -> list[Row]:
    """Pad rows to one width and drop columns that are empty everywhere."""
    width = max((len(r.cells) for r in rows), default=0)
    padded = [replace(r, cells=tuple(r.cells) + ("",) * (width - len(r.cells))) for r in rows]
    keep = [j for j in range(width) if any(r.cells[j] for r in padded)]
    return [replace(r, cells=tuple(r.cells[j] for j in keep)) for r in padded]


def _join_continuations(rows: list[Row]) -> list[Row]:
    """Later pages of a table put in the columns of its first page.

    A continuation page repeats no header, or repeats it (dropped here), and may print fewer columns
    (类/款/项 merged into one code column): its figures go to the first page's figure columns in order, its code and
    label cells go to the first page's code column and label column. A page that starts mid-table is
    never a new table.
    """
    pages = list(dict.fromkeys(r.page for r in rows))
    if len(pages) < 2:
        return rows
    first = [r for r in rows if r.page == pages[0]]
    width = max(len(r.cells) for r in rows)
    end = _header_end(first)
    header_keys = {tuple(compact(c) for c in r.cells if c) for r in first[:end]}
    out = list(first)
    for page in pages[1:]:
        page_rows = [r for r in rows if r.page == page]
        page_rows = [r for r in page_rows if tuple(compact(c) for c in r.cells if c) not in header_keys or not any(r.cells)]
        lead, first_lead = _lead(page_rows), _lead(first[end:])
        if lead == first_lead or not 1 <= lead < first_lead:
            out.extend(page_rows)
            continue
        realigned = [_realign(r, lead, first_lead, width) for r in page_rows]
        out.extend(realigned if all(r is not None for r in realigned) else page_rows)
    return out


def _realign(row: Row, lead: int, first_lead: int, width: int) -> Row | None:
    """A continuation row in the first page's columns (None when its figures would not fit them)."""
    cells = [""] * width
    for j, c in enumerate(row.cells):
        if j >= lead:
            target = first_lead + (j - lead)  # figures in order from the first figure column
        elif j == 0:
            target = 0  # the code column
        else:
            target = first_lead - (lead - j)  # the label next to the first figure
        if target >= width:
            if c:
                return None
            continue
        cells[target] = c
    return replace(row, cells=tuple(cells))


def _lead(rows: list[Row]) -> int:
    """How many code/label columns stand left of the figures: the fewest cells before any row's first amount."""
    firsts = [
        next((j for j, c in enumerate(r.cells) if "." in c and _AMOUNT.match(c.replace(" ", ""))), None) for r in rows
    ]
    return min((j for j in firsts if j is not None), default=0)


def _unit_in_rows(rows: list[Row]) -> str:
    for row in rows[:12]:
        for cell in row.cells:
            m = re.search(r"[(（]\s*(万元|元|亿元)\s*[)）]", cell)
            if m:
                return m.group(1)
    return ""


def _project_name(title: str, rows: list[Row]) -> str:
    for row in rows[:4]:
        cells = [c for c in row.cells if c]
        if cells and compact(cells[0]) == "项目名称" and len(cells) > 1:
            return join_cjk(cells[1])
    m = re.search(r"[“\"]([^”\"]+)[”\"]", title)
    return join_cjk(m.group(1)) if m else ""


# --- the nine 公开NN表: a header block over a grid of label / code / 行次 / value columns ---


def _is_column_numbers(cells: tuple[str, ...]) -> bool:
    numbers = [c for c in cells if c]
    if len(numbers) < 2 or not all(c.isdigit() for c in numbers):
        return False
    values = [int(c) for c in numbers]
    return values == list(range(values[0], values[0] + len(values)))


def _header_end(rows: list[Row]) -> int:
    """Number of header rows: through the 栏次 / column-number row, else up to the first data row."""
    end = 0
    for i, row in enumerate(rows[:8]):
        compacted = [compact(c) for c in row.cells]
        if "栏次" in compacted or _is_column_numbers(row.cells):
            end = i + 1
    if end:
        return end
    for i, row in enumerate(rows):
        if any(_CODE.match(c) or (_AMOUNT.match(c) and "." in c) for c in row.cells):
            return i
    return min(1, len(rows))


def _column_numbers(header: list[Row]) -> dict[int, int]:
    numbers: dict[int, int] = {}
    for row in header:
        compacted = [compact(c) for c in row.cells]
        if "栏次" in compacted or _is_column_numbers(row.cells):
            for j, c in enumerate(compacted):
                if c.isdigit():
                    numbers[j] = int(c)
    return numbers


def _header_paths(header: list[Row], width: int) -> list[tuple[str, ...]]:
    """Each column's header path, spreading a merged header cell over the columns beneath it.

    An unruled table's header rows already repeat a centred cell over the columns it spans, and a
    blank beside a cell there says nothing about merging: nothing is spread.
    """
    spread = all(row.ruled for row in header)
    grid = [
        [compact(c) for c in row.cells]
        for row in header
        if "栏次" not in [compact(c) for c in row.cells] and not _is_column_numbers(row.cells)
    ]
    for r, cells in enumerate(grid):
        for j in range(1, width):
            deeper = any(grid[d][j] for d in range(r + 1, len(grid)))
            # A merged cell spreads right only under one parent: a column whose header above differs
            # from its left neighbour's starts a new header, printed once over several rows (公务接待费).
            same_parent = all(grid[d][j] == grid[d][j - 1] for d in range(r))
            if spread and not cells[j] and deeper and cells[j - 1] and same_parent:
                cells[j] = cells[j - 1]
    paths: list[tuple[str, ...]] = []
    for j in range(width):
        path: list[str] = []
        for cells in grid:
            if cells[j] and (not path or path[-1] != cells[j]):
                path.append(cells[j])
        # A trailing column with no header of its own belongs to the merged header on its left.
        paths.append(join_header_fragments(tuple(path)) if path or not paths else paths[-1])
    return paths


def _align_header(header: list[Row], data: list[Row]) -> list[Row]:
    """Shift header rows whose 科目名称 sits left of the data's label column.

    Some exports merge 类/款/项 so that a header row has one cell fewer than the data rows
    (公开07表: '年初结转和结余' printed over the 栏次 column); the data's 合计 cell shows where
    the label column really is.
    """
    label_col = next((j for r in data[:3] for j, c in enumerate(r.cells) if compact(c) == "合计"), None)
    if label_col is None:
        return header
    shifts: list[int | None] = []
    for row in header:
        names = [j for j, c in enumerate(row.cells) if compact(c) == "科目名称"]
        shifts.append(label_col - names[0] if len(names) == 1 else None)
    aligned = []
    for i, row in enumerate(header):
        compacted = [compact(c) for c in row.cells]
        if "栏次" in compacted or _is_column_numbers(row.cells):
            aligned.append(row)
            continue
        shift = shifts[i]
        if shift is None:  # a row above takes the shift of the nearest row below that has a 科目名称
            shift = next((s for s in shifts[i + 1 :] if s is not None), 0)
        if shift > 0:
            cells = row.cells
            aligned.append(replace(row, cells=cells[:1] + ("",) * shift + cells[1 : len(cells) - shift]))
        else:
            aligned.append(row)
    return aligned


def _column_roles(paths: list[tuple[str, ...]], data: list[Row], width: int) -> list[str]:
    """'label', 'code', 'rownum' or 'value' for each column, from its header and its cells."""
    roles = []
    for j in range(width):
        path = paths[j]
        cells = [r.cells[j] for r in data if r.cells[j]]
        # Under a 科目编码 header, or a 类/款/项 one, short digit runs are code parts, never amounts.
        split_code = any(h in ("款", "项") for h in path) or (
            any(k in h for h in path for k in _CODE_HEADERS) and all(_CODE_PART.match(c) for c in cells)
        )
        codes = sum(1 for c in cells if _CODE.match(c) or (split_code and _FRAGMENT.match(c)))
        amounts = sum(1 for c in cells if parse_amount(c) is not None and not _CODE.match(c)) - (
            codes if split_code else 0
        )
        texts = len(cells) - amounts - codes
        if any("行次" in h for h in path):
            roles.append("rownum")
        elif codes and codes >= texts and codes >= amounts:
            roles.append("code")
        elif texts > amounts:
            roles.append("label")
        elif not cells and any(h in ("类", "款", "项") or any(k in h for k in _CODE_HEADERS + _LABEL_HEADERS) for h in path):
            roles.append("label")
        elif any(h in ("类", "款", "项") for h in path) and not amounts:
            roles.append("code")
        else:
            roles.append("value")
    return roles


def _groups(roles: list[str]) -> list[_Group]:
    groups: list[_Group] = []
    labels: list[int] = []
    rownum: int | None = None
    values: list[int] = []
    for j, role in enumerate(roles):
        if role in ("label", "code"):
            if values or rownum is not None and values:
                groups.append(_Group(tuple(labels), rownum, tuple(values)))
                labels, rownum, values = [], None, []
            labels.append(j)
        elif role == "rownum":
            rownum = j
        else:
            values.append(j)
    if labels or values:
        groups.append(_Group(tuple(labels), rownum, tuple(values)))
    return groups


def _label_and_code(cells: list[str], carry: dict[int, str] | None = None) -> tuple[str, str]:
    """The row label and subject code of a row's label cells.

    Codes come whole ('2010350', or '2010350 事业运行') or split over 类/款/项 columns ('201' '03' '50');
    a split row may leave out the 类 or 款 its parent row printed, which carry remembers.
    """
    pieces: list[str] = []  # code cells before the label: one whole code, or 类/款/项 parts
    parts = []
    for cell in cells:
        if not cell or _AXIS.match(cell):
            continue  # "类 款 项" printed in the code columns of the 合计 row names the axis, not the row
        if not parts and (_CODE.match(cell) or _FRAGMENT.match(cell)):
            pieces.append(cell)
            continue
        m = _CODE_PREFIX.match(cell)
        if m and not pieces and not parts:
            pieces.append(m.group(1))
            cell = m.group(2)
        parts.append(join_cjk(cell))
    code = ""
    if len(pieces) == 1 and _CODE.match(pieces[0]):
        code = pieces[0]
    elif pieces and all(_FRAGMENT.match(p) for p in pieces[1:]):
        code = _join_fragments(pieces, carry if carry is not None else {})
    if code and carry is not None and len(code) in (3, 5):
        carry[len(code)] = code
        if len(code) == 3:
            carry.pop(5, None)
    return " ".join(parts).strip(), code


def _join_fragments(fragments: list[str], carry: dict[int, str]) -> str:
    """'201','03','50' → '2010350'; '03','50' under 类 201 → '2010350'; '50' under 款 20103 → '2010350'."""
    joined = "".join(fragments)
    if len(fragments[0]) == 3:
        return joined
    parent = carry.get(5 if len(fragments) == 1 else 3, "")
    if len(fragments) == 1 and not parent:
        parent = carry.get(3, "")
    return parent + joined


def _grid_facts(report_id: str, key: str, title: str, unit: str, rows: list[Row]) -> tuple[int, list[Fact]]:
    if not rows:
        return 0, []
    width = len(rows[0].cells)
    end = _header_end(rows)
    header, data = _align_header(rows[:end], rows[end:]), rows[end:]
    paths = _header_paths(header, width)
    numbers = _column_numbers(header)
    # The 栏次 row names the 类/款/项 code columns; it is not part of the value headers.
    axis = next((r for r in header if "栏次" in [compact(c) for c in r.cells]), None)
    role_paths = [
        paths[j] + ((compact(axis.cells[j]),) if axis and compact(axis.cells[j]) in ("类", "款", "项") else ())
        for j in range(width)
    ]
    roles = _column_roles(role_paths, data, width)
    groups = _groups(roles)
    if len(groups) == 1:
        data = _join_wrapped_labels(data, groups[0], roles)
    facts: list[Fact] = []
    carry: dict[int, str] = {}
    for row in data:
        pending: tuple[str, str, int | None] | None = None
        for group in groups:
            label, code = _label_and_code([row.cells[j] for j in group.label_cols], carry)
            rownum_cell = row.cells[group.rownum_col] if group.rownum_col is not None else ""
            row_number = int(rownum_cell) if rownum_cell.isdigit() else None
            values = [(j, parse_amount(row.cells[j])) for j in group.value_cols]
            values = [(j, v) for j, v in values if v is not None]
            if label and not values:
                pending = (label, code, row_number)
                continue
            if not label and values and pending:
                # 公开06 prints "公用经费合计" under one group and its value under the last.
                label, code, row_number = pending
            pending = None
            transposed = False
            if not label and not code:
                if any(roles[j] in ("label", "code") for j in range(width)):
                    continue
                transposed = True  # a table with no label column (三公经费表): the items are in the header

            for j, (value, cell_unit) in values:
                column = " › ".join(paths[j]) if paths[j] else f"第{j + 1}列"
                facts.append(
                    Fact(
                        report_id=report_id,
                        table=key,
                        table_title=title,
                        row=_header_item(paths[j], _subject_of(title)) if transposed else (label or code),
                        code=code,
                        classification=classification_of(code),
                        column=column,
                        value=value,
                        unit=cell_unit or unit,
                        page=row.page,
                        row_number=row_number,
                        column_number=numbers.get(j),
                        quote=" ".join(c for c in row.cells if c),
                    )
                )
    return end, facts


def _header_item(path: tuple[str, ...], subject: str) -> str:
    """The item a header path names in a one-row table: '…› 公务接待费 › 预算数' → '公务接待费'.

    Measure words (预算数, 决算数) and the table's own subject are not the item; a 小计 is named after
    its parent ('公务用车购置及运行维护费小计'), the 合计 after the subject ('“三公”经费合计').
    """
    parts = [p for p in path if not is_measure_header(p) and compact(p) != compact(subject) and subject not in p]
    if not parts:
        return subject
    item = parts[-1]
    if item in ("小计", "合计") and len(parts) > 1:
        return parts[-2] + item
    if item == "合计":
        return subject + item
    return item


def _join_wrapped_labels(data: list[Row], group: _Group, roles: list[str]) -> list[Row]:
    """Rows holding only a piece of a label, in a table of coded rows, joined to the row they belong to.

    A label wrapped over lines becomes label-only rows in a text export: pieces right above a coded
    row whose own label is blank (the code printed on the middle line) open its label, the piece right
    below closes it; otherwise a piece continues the coded row above it (cells are top-aligned). Rows
    with an ordinal or a total word are rows of their own, never pieces.
    """
    code_cols = [j for j in group.label_cols if roles[j] == "code"]
    label_cols = [j for j in group.label_cols if roles[j] == "label"]
    if not code_cols or len(label_cols) != 1:
        return data
    label_col = label_cols[0]

    def code_of(row: Row) -> str:
        code = "".join(row.cells[j] for j in code_cols)
        return code if code.isdigit() else ""  # "合计" printed in the code column is no code

    def is_piece(row: Row) -> bool:
        text = row.cells[label_col]
        return (
            bool(text) and not code_of(row)
            and all(not c for j, c in enumerate(row.cells) if j != label_col)
            and not strip_ordinal(text) != text and not any(w in text for w in ("合计", "总计", "小计"))
        )

    def with_label(row: Row, label: str) -> Row:
        cells = list(row.cells)
        cells[label_col] = label
        return replace(row, cells=tuple(cells))

    out: list[Row] = []
    i = 0
    while i < len(data):
        row = data[i]
        if is_piece(row):
            run = [row]
            while i + len(run) < len(data) and is_piece(data[i + len(run)]):
                run.append(data[i + len(run)])
            following = data[i + len(run)] if i + len(run) < len(data) else None
            if following is not None and code_of(following) and not following.cells[label_col]:
                # the code sits on a middle line: the pieces above open its label, one piece below closes it
                label = "".join(r.cells[label_col] for r in run)
                after = data[i + len(run) + 1] if i + len(run) + 1 < len(data) else None
                tail = after.cells[label_col] if after is not None and is_piece(after) else ""
                out.append(with_label(following, label + tail))
                i += len(run) + 1 + (1 if tail else 0)
                continue
            if out and code_of(out[-1]):
                out[-1] = with_label(out[-1], out[-1].cells[label_col] + "".join(r.cells[label_col] for r in run))
                i += len(run)
                continue
        out.append(row)
        i += 1
    return out


def _subject_of(title: str) -> str:
    """'2023 年度一般公共预算财政拨款“三公”经费支出决算表' → '“三公”经费': what the one row is about."""
    subject = re.sub(r"^\d{4}\s*年度?", "", title).strip()
    subject = re.sub(r"^(一般公共预算财政拨款|政府性基金预算财政拨款|国有资本经营预算财政拨款|财政拨款)", "", subject)
    subject = re.sub(r"(收入)?(支出)?(决算)?(明细)?表$", "", subject)
    return subject or title


# --- 项目绩效自评表 / 整体绩效自评表: a money block, then indicator rows ---


def _performance_facts(report_id: str, key: str, title: str, rows: list[Row]) -> tuple[int, list[Fact]]:
    facts: list[Fact] = []
    money_headers: list[str] = []
    money_unit = _unit_in_rows(rows) or "万元"
    in_money = False
    indicator_columns: list[str] = []

    def add(row: Row, label: str, column: str, value: float, unit: str) -> None:
        facts.append(
            Fact(
                report_id=report_id,
                table=key,
                table_title=title,
                row=label,
                code="",
                classification="",
                column=column,
                value=value,
                unit=unit,
                page=row.page,
                quote=" ".join(c for c in row.cells if c),
            )
        )

    for row in rows:
        cells = list(row.cells)
        compacted = [compact(c) for c in cells]
        if any("预算数" in c or "执行数" in c for c in compacted) and not any(parse_amount(c) for c in cells):
            money_headers = [c for c in compacted if c and "预算执行情况" not in c]
            in_money = True
            continue
        if any(c in ("一级指标", "三级指标") for c in compacted):
            in_money = False
            indicator_columns = compacted
            continue
        numeric = [(j, parse_amount(c)) for j, c in enumerate(cells)]
        numeric = [(j, v) for j, v in numeric if v is not None]
        texts = [join_cjk(c) for c in cells if c and parse_amount(c) is None]
        if in_money and numeric and texts:
            label = texts[-1] if len(texts) == 1 else texts[0]
            for (_, (value, unit)), header in zip(numeric, _aligned(money_headers, len(numeric))):
                add(row, label, header, value, unit or ("%" if "率" in header else money_unit))
            continue
        if indicator_columns:
            _indicator_facts(row, cells, indicator_columns, add)
            continue
        # Before any header: "基本支出总额 | 531.51万元 | 项目支出总额 | 278.18万元".
        for j, cell in enumerate(cells):
            parsed = parse_amount(cell)
            if parsed and parsed[1] and j > 0:
                label = next((join_cjk(c) for c in reversed(cells[:j]) if c and parse_amount(c) is None), "")
                if label:
                    add(row, label, "金额", parsed[0], parsed[1])
    return 0, facts


def _aligned(headers: list[str], count: int) -> list[str]:
    if len(headers) >= count:
        return headers[:count]
    return headers + [f"第{i + 1}项" for i in range(len(headers), count)]


def _indicator_facts(row: Row, cells: list[str], columns: list[str], add) -> None:
    """Indicator rows: the last two text cells are target and actual; the one before names it."""
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return
    target_col = next((i for i, c in enumerate(columns) if "目标值" in c), None)
    actual_col = next((i for i, c in enumerate(columns) if "完成值" in c), None)
    # Rows are ragged (merged 一级/二级 cells), so read from the right: name, target, actual.
    tail = [c for c in cells if c and not _CATEGORY.match(c)]
    if len(tail) < 2:
        return
    if len(tail) >= 3:
        name, target, actual = tail[-3], tail[-2], tail[-1]
    else:
        name, target, actual = tail[-2], tail[-1], ""
    target_name = columns[target_col] if target_col is not None else "年初目标值"
    actual_name = columns[actual_col] if actual_col is not None else "实际完成值"
    for column, cell in ((target_name, target), (actual_name, actual)):
        quantity = parse_quantity(cell) if cell else None
        if quantity:
            add(row, join_cjk(name).rstrip("。.;；"), column, quantity[0], quantity[1])
