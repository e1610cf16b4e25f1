"""Lines from PDF geometry: offset digits, justified text, the PDF's own spaces."""

from __future__ import annotations

from index.pdf import text_lines


def _chars(text: str, *, x: float, top: float, size: float = 12.0, advance: float | None = None) -> list[dict]:
    step = advance or size
    return [
        {"text": ch, "x0": x + i * step, "x1": x + i * step + size * (0.5 if ch.isascii() else 1.0),
         "top": top, "bottom": top + size}
        for i, ch in enumerate(text)
    ]


def test_digits_set_below_the_chinese_text_stay_on_its_line():
    # "本年收入合计 9746.50": the figures sit 5 pt lower, as some exports print them.
    chars = _chars("本年收入合计", x=50, top=100) + _chars("9746.50", x=200, top=105, size=10, advance=6)
    chars += _chars("本年支出合计", x=50, top=124)  # the next line
    lines = text_lines(chars)
    assert [ln["text"] for ln in lines] == ["本年收入合计 9746.50", "本年支出合计"]


def test_justified_chinese_is_one_word_and_numbers_stay_apart():
    chars = _chars("本年收入合计", x=50, top=100, advance=30)  # "本 年 收 入 合 计" spread over the cell
    chars += _chars("12.00", x=300, top=100, size=10, advance=6) + _chars("3.50", x=360, top=100, size=10, advance=6)
    assert [ln["text"] for ln in text_lines(chars)] == ["本年收入合计 12.00 3.50"]


def test_lines_are_in_reading_order_and_keep_printed_spaces():
    chars = _chars("第二行", x=50, top=140) + _chars("2023", x=50, top=100, size=10, advance=6)
    chars += [{"text": " ", "x0": 74, "x1": 77, "top": 100, "bottom": 110}] + _chars("年度", x=77, top=100)
    assert [ln["text"] for ln in text_lines(chars)] == ["2023 年度", "第二行"]


def test_a_report_read_in_parts_at_once_is_the_report_read_page_after_page(monkeypatch):
    """Every page its own part (the most boundaries there can be), on a real PDF where a table runs on from
    one page to the next: the parts, joined, read the same as one pass."""
    from concurrent.futures import ThreadPoolExecutor

    import index.pdf as pdf
    from tests.conftest import QIFU_PDF

    with pdf._open(QIFU_PDF) as doc:
        pages = pdf._read_pages(doc.pages, 1, len(doc.pages) + 1)
    assert any(r.running is not None for r in pages)  # a boundary where a part must not start afresh
    monkeypatch.setattr(pdf, "MIN_PAGES_PER_PART", 1)
    with ThreadPoolExecutor(max_workers=len(pages)) as pool:
        parts = pdf.read_pdf(QIFU_PDF, pool=pool)
    assert parts.blocks == [b for r in pages for b in r.blocks] and parts.page_count == len(pages)
    assert parts.warnings == [w for r in pages for w in r.warnings]


def test_a_table_running_through_a_part_is_carried_until_the_readings_agree(monkeypatch):
    """A table that runs from page 2 to page 5, read in parts of two pages: the part starting at page 3 is
    read again from there with the table carried in, page 4 too, and from page 5 on its own reading stands."""
    import index.pdf as pdf
    from index.model import Line

    reread: list[int] = []

    def read_page(page, number, running):
        if page == "title":  # a table starts here
            running = ["table"]
        elif page == "end":  # and ends here
            running = None
        elif running is not None:  # runs on
            running = running + [number]
        return [Line(number, f"{page}:{running}")], 1, running

    monkeypatch.setattr(pdf, "_read_page", read_page)
    pages = ["text", "title", "row", "row", "end", "text"]
    whole = pdf._read_pages(pages, 1, 7)
    parts = [pdf._read_pages(pages, a, b) for a, b in ((1, 3), (3, 5), (5, 7))]
    monkeypatch.setattr(pdf, "_read_pages", lambda p, a, b, running=None, page_count=None: reread.append(a) or whole[a - 1 : b - 1])
    joined = []
    for start, part in zip((1, 3, 5), parts):
        joined.extend(pdf._joined(pages, start, part, joined[-1].running if joined else None))
    assert joined == whole and reread == [3, 4, 5]


def test_a_part_the_pool_cannot_read_is_read_here(monkeypatch):
    """A pool whose processes die (or cannot start: a fork server that cannot import the main script) costs
    time, not the report."""
    from concurrent.futures import Future

    import index.pdf as pdf
    from tests.conftest import PUTUO_PDF

    class BrokenPool:
        _max_workers = 2

        def submit(self, *args):
            future = Future()
            future.set_exception(RuntimeError("A process in the process pool was terminated abruptly"))
            return future

    whole = pdf.read_pdf(PUTUO_PDF)
    monkeypatch.setattr(pdf, "MIN_PAGES_PER_PART", 2)
    assert pdf.read_pdf(PUTUO_PDF, pool=BrokenPool()) == whole
