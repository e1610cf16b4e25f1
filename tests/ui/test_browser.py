"""Drive the real web chat in headless Chromium, at 1366×768 and at a 390 px phone width, as a person would.

The server is the web chat (`ui.app.serve`, as `python -m assistant serve` starts it) in a subprocess with a
fresh data directory, so the first start ingests the bundled sample exactly as a new user's would; one
question (FAILING) is made to raise inside the server, to check that a failure comes back as a reply.
Outbound HTTP from the server goes to a recording proxy, and the browser's requests are recorded too: both
must stay on 127.0.0.1. Screenshots go to artifacts/ui/ (not committed: /artifacts/ is in .gitignore).

JUESUAN_UI_TEST_SEED=DIR (local iteration only) copies an existing data directory in first, so the
sample is not ingested again.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.settings import PROJECT_ROOT
from bench.browser import CHROMIUM_ARGS, free_port, stop
from tests.conftest import PUTUO_PDF, QIFU_PDF

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ARTIFACTS = PROJECT_ROOT / "artifacts" / "ui"
SECOND_REPORT = PROJECT_ROOT / "samples" / "hanyang-scjgj-2023.txt"
SAMPLE_NAME = "武汉市汉阳区企业服务中心2023年"
SECOND_NAME = "武汉市汉阳区市场监督管理局2023年"
SHANGHAI_NAME = "上海市普陀区规划和自然资源局2024年"
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
REPORT_ID = re.compile(r"r\d{4}-[0-9a-f]{6,}")
FIRST_START_TIMEOUT = 600  # the first start ingests and indexes the sample
FAILING = "（测试）这个问题会让服务端出错"
# The server as `python -m assistant serve` runs it, with Assistant.ask raising on FAILING (after a pause,
# so the "answer on its way" placeholder can be seen).
LAUNCHER = """
import sys, time
from assistant import service
from ui.app import serve
real_ask = service.Assistant.ask
def ask(self, question, *args, **kwargs):
    if question == %r:
        time.sleep(1.5)
        raise RuntimeError("测试用的服务端错误")
    return real_ask(self, question, *args, **kwargs)
service.Assistant.ask = ask
serve(port=int(sys.argv[1]))
""" % FAILING
ANSWER_TIMEOUT_MS = 60_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
EXAMPLE_TEXTS = ("社会保障和就业支出决算是多少", "其中基本支出是多少", "基本支出占本年支出的比例是多少", "部门主要职能有哪些")


def _chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("找不到 chromium：请运行 scripts/test（会用 apt-get 安装）或 apt-get install chromium")
    return path



class RecordingProxy:
    """A socket that stands in for an HTTP(S) proxy and records every request line sent to it."""

    def __init__(self):
        self.requests: list[str] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen()
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    first = "(no request line)"
                self.requests.append(first)

    def close(self) -> None:
        self._sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`python -m assistant serve` on a free port with an empty data directory."""
    data_dir = tmp_path_factory.mktemp("ui-data")
    seed = os.environ.get("JUESUAN_UI_TEST_SEED")
    if seed:
        shutil.copytree(seed, data_dir, dirs_exist_ok=True)
    port = free_port()
    proxy = RecordingProxy()
    proxy_url = f"http://127.0.0.1:{proxy.port}"
    env = {
        **os.environ,
        "JUESUAN_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "HTTP_PROXY": proxy_url,
        "HTTPS_PROXY": proxy_url,
        "http_proxy": proxy_url,
        "https_proxy": proxy_url,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    log_path = data_dir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    deadline = started + FIRST_START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"服务进程退出（{process.returncode}）：\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"服务 {FIRST_START_TIMEOUT} 秒内没有启动：\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        print(f"\n服务启动（含首次导入示例）：{time.monotonic() - started:.1f} 秒", flush=True)
        yield {"url": url, "data_dir": data_dir, "proxy": proxy, "log": log_path}
    finally:
        stop(process)
        proxy.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True)

        def new_page(size: str = "desktop", *, locale: str = "zh-CN"):
            # a fresh context is a fresh browser profile: its own storage, downloads and Gradio session
            context = browser.new_context(viewport=VIEWPORTS[size], locale=locale, accept_downloads=True)

            def record(request):
                host = urlparse(request.url).hostname
                if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL_HOSTS:
                    external.append(request.url)

            context.on("request", record)
            page = context.new_page()
            page.set_default_timeout(ANSWER_TIMEOUT_MS)
            started = time.perf_counter()
            page.goto(server["url"])
            _wait_usable(page)
            TIMINGS.append((f"{size} 首次可用", time.perf_counter() - started))
            return page

        yield {"new_page": new_page, "external": external}
        browser.close()


TIMINGS: list[tuple[str, float]] = []  # printed at the end of the module: first usable view, each answer


@pytest.fixture(scope="module", autouse=True)
def _print_timings():
    yield
    print("\n" + "\n".join(f"{what}：{seconds:.2f} 秒" for what, seconds in TIMINGS), flush=True)


def _wait_usable(page) -> None:
    """The page is usable once its load event has picked the report and greeted the user (or restored the chat)."""
    page.locator("#chat .message.bot").first.wait_for()
    page.wait_for_function("() => !document.querySelector('#chat .pending')")


BOT_COUNT = "() => document.querySelectorAll('#chat .message.bot').length"


def _ask(page, question: str | None = None, *, example: str | None = None):
    """Send a question (typed, or by its example button) and return the answer bubble once rendered."""
    before = page.evaluate(BOT_COUNT)
    started = time.perf_counter()
    if example:
        page.locator("#example-row button", has_text=example).click()
    else:
        page.locator("#question textarea").fill(question)
        page.locator("#send").click()
    # while the answer is on its way the chat shows a placeholder reply, "正在回答…"
    try:
        page.wait_for_function(
            f"""() => ({BOT_COUNT})() > {before} && !document.querySelector('#chat [role=status]')
                    && !document.querySelector('#chat').innerText.includes('正在回答')""",
            timeout=ANSWER_TIMEOUT_MS,
        )
    except Exception:
        _shot(page, "failed-answer")
        print(_chat_text(page)[-1500:])
        raise
    TIMINGS.append((f"回答“{(question or example)[:20]}”", time.perf_counter() - started))
    return page.locator("#chat .message.bot").nth(before)


def _chat_text(page) -> str:
    """The chat's messages (without the progress timers Gradio shows over it)."""
    return "\n\n".join(page.locator("#chat .message").all_inner_texts())


def _wait_for_image(page, elem: str = "#page-image", previous: str | None = None) -> str:
    """Wait until a rendered page image (144 dpi: over 1000 px wide) has loaded; return its src."""
    page.wait_for_function(
        """([sel, previous]) => {
          const img = document.querySelector(sel + ' img');
          return img && img.complete && img.naturalWidth > 1000 && img.src !== previous;
        }""",
        arg=[elem, previous],
    )
    return page.locator(f"{elem} img").get_attribute("src")


def _visible_height(page, selector: str) -> float:
    """How many pixels of the element are inside the viewport right now."""
    return page.evaluate(
        """(sel) => {
          const r = document.querySelector(sel).getBoundingClientRect();
          return Math.max(0, Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0));
        }""",
        selector,
    )


def _wait_in_view(page, selector: str, share: float) -> None:
    """The page brings the element on screen once its image has loaded: wait for that (a few seconds at most)."""
    page.wait_for_function(
        """([sel, share]) => {
          const r = document.querySelector(sel).getBoundingClientRect();
          const seen = Math.max(0, Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0));
          return r.height > 0 && seen / r.height > share;
        }""",
        arg=[selector, share],
        timeout=10_000,
    )


def _fully_in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => {
          const r = document.querySelector(sel).getBoundingClientRect();
          return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth + 1;
        }""",
        selector,
    )


def _no_internal_text(page) -> None:
    text = _chat_text(page) + page.locator("#report-picker").inner_text() + page.locator("#report-picker input").input_value()
    assert "路由" not in text
    assert not REPORT_ID.search(text), REPORT_ID.search(text)


ENGLISH_UI = """() => {
  const found = new Set();
  const allowed = /^(PDF|TXT|CSV|MB)$/;
  const english = (text) => (text.match(/[A-Za-z]{3,}/g) || []).some((w) => !allowed.test(w));
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (el.closest('.message')) continue;  // a message's own label repeats its (Chinese) content
    for (const name of ['title', 'aria-label', 'placeholder']) {
      const value = el.getAttribute(name);
      if (value && english(value)) found.add(`${name}=${value}`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, svg, .message') || parent.offsetParent === null) continue;
    if (english(node.textContent)) found.add(node.textContent.trim());
  }
  return [...found];
}"""


def _shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


LONG_QUESTION = "我从文件里复制了一段话：" + "本单位坚持过紧日子，压减一般性支出，" * 6 + "请问本年支出合计是多少"

# Where the red frame of the cited cell is across the page image, as a share of its width (None: no frame).
FRAME_X = """(sel) => new Promise((done) => {
  const img = document.querySelector(sel + ' img');
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] > 200 && data[i + 1] < 40 && data[i + 2] < 40) {
      const x = (i / 4) % canvas.width;
      min = Math.min(min, x); max = Math.max(max, x);
    }
  }
  done(min === Infinity ? null : (min + max) / 2 / canvas.width);
})"""

# Where the framed cell is on screen (x in px), from the share the server sends with the image.
CELL_ON_SCREEN = """() => {
  const img = document.querySelector('#page-image img');
  const x = parseFloat(document.querySelector('#cell-x textarea, #cell-x input').value);
  const r = img.getBoundingClientRect();
  return r.left + x * r.width;
}"""


# Under each chat message: how many 👍/👎 it has, and how many of them are visible.
THUMBS = """() => [...document.querySelectorAll('#chat .message-row')].map((row) => {
  const bar = row.nextElementSibling;
  const thumbs = bar && bar.classList.contains('message-buttons')
    ? [...bar.querySelectorAll('button[aria-label="赞"], button[aria-label="踩"], button[aria-label="Like"], button[aria-label="Dislike"]')]
    : [];
  return {text: row.innerText.trim(), bot: row.classList.contains('bot-row'), shown: thumbs.filter((b) => b.offsetParent !== null).length};
})"""


def _thumbs_shown(page, text: str) -> int:
    """How many 👍/👎 buttons are visible under the (last) bot message containing `text`."""
    rows = [r for r in page.evaluate(THUMBS) if r["bot"] and text in r["text"]]
    assert rows, text
    return rows[-1]["shown"]


def _frame_over_printed_word(image: bytes, pdf: Path, page_no: int, text: str, at: tuple[float, float]) -> None:
    """The red frame in the page image the browser shows (`image`, as served) lies over the printed word `text`
    at `at` (its pdfplumber x0 and top, in points).

    The image is a crop of the rendered page: it is located on the page by its own print (the dark, untinted
    pixels, matched against an independent rendering of the page), then the frame is mapped onto the page
    and must enclose the word and hug it — a frame on another cell of the same row is off by a column."""
    import io

    import numpy as np
    import pypdfium2
    from PIL import Image

    from ui.render import RENDER_SCALE

    word = _printed_word(pdf, page_no, text, at)
    shown = np.asarray(Image.open(io.BytesIO(image)).convert("RGB")).astype(np.int16)
    red = (shown[..., 0] > 200) & (shown[..., 1] < 40) & (shown[..., 2] < 40)
    assert red.any(), "没有红框"
    ys, xs = np.nonzero(red)
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        printed = np.asarray(document[page_no - 1].render(scale=RENDER_SCALE).to_pil().convert("L")) < 128
    finally:
        document.close()
    untinted = shown.max(axis=2) - shown.min(axis=2) <= 6  # the row's fill and the frame tint what they cover
    ink = untinted & (shown.mean(axis=2) < 128)
    (H, W), (h, w) = printed.shape, ink.shape
    # cross-correlation of the two prints: entry (oy + h - 1, ox + w - 1) counts the ink pixels that land on ink
    corr = np.fft.irfft2(
        np.fft.rfft2(printed.astype(np.float32)) * np.fft.rfft2(ink[::-1, ::-1].astype(np.float32), s=(H, W)), s=(H, W)
    )[h - 1 : H, w - 1 : W]
    oy, ox = np.unravel_index(int(np.argmax(corr)), corr.shape)
    assert corr[oy, ox] / ink.sum() > 0.95, corr[oy, ox] / ink.sum()  # the image is this page
    frame = [(xs.min() + ox) / RENDER_SCALE, (ys.min() + oy) / RENDER_SCALE,
             (xs.max() + ox) / RENDER_SCALE, (ys.max() + oy) / RENDER_SCALE]  # in points
    assert frame[0] <= word["x0"] and frame[1] <= word["top"] and frame[2] >= word["x1"] and frame[3] >= word["bottom"], (frame, word)
    assert frame[2] - frame[0] < word["x1"] - word["x0"] + 20 and frame[3] - frame[1] < word["bottom"] - word["top"] + 20, (frame, word)


def _printed_word(pdf: Path, page_no: int, text: str, at: tuple[float, float]) -> dict:
    """The word `text` that pdfplumber finds on the page at `at` (x0, top in points, read off the page by hand)."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        words = [w for w in document.pages[page_no - 1].extract_words() if w["text"] == text]
    word = min(words, key=lambda w: abs(w["x0"] - at[0]) + abs(w["top"] - at[1]))
    assert abs(word["x0"] - at[0]) < 2 and abs(word["top"] - at[1]) < 2, word
    return word


# The cited cells, by hand: on each page the figure is printed twice on the cited line, and only one is the cell.
QIFU_TOTAL_OUT = (QIFU_PDF, 11, "809.69", (771.5, 150.5))  # 收支总表: 本年支出合计 (the 本年收入合计 one is at x 399)
PUTUO_RETIRED_BASIC = (PUTUO_PDF, 10, "54.53", (413.9, 265.7))  # 支出决算表: 行政单位离退休 基本支出 (合计 is at x 332)


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                     return r.height > 0 && r.top >= -1 && r.top < window.innerHeight - 20; }""",
        selector,
    )


def _answer_top_in_chat(page) -> bool:
    """The newest answer's first line is inside the chat box's visible area."""
    return page.evaluate(
        """() => {
          const bots = document.querySelectorAll('#chat .message.bot');
          const last = bots[bots.length - 1].getBoundingClientRect();
          const chat = document.querySelector('#chat').getBoundingClientRect();
          return last.top >= chat.top - 2 && last.top < chat.bottom - 20;
        }"""
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_conversation_with_sources_a_failure_feedback_and_a_reload(server, browser, size):
    page = browser["new_page"](size, locale="en-US")  # an English browser still gets a Chinese page
    phone = size == "phone"
    assert page.locator("#report-picker input").input_value() == SAMPLE_NAME
    # question box and examples are there without scrolling; on a desktop every example is in view (7)
    assert _fully_in_view(page, "#question") and _fully_in_view(page, "#send")
    assert _visible_height(page, "#example-row button") > 10
    if not phone:
        for n in range(len(EXAMPLE_TEXTS)):
            assert _fully_in_view(page, f"#example-row button:nth-child({n + 1})"), n
    _shot(page, f"{size}-1-start")

    answer = _ask(page, "政企云执行率是多少")
    assert "86.3%" in answer.inner_text() and "第41页" in answer.inner_text()
    assert answer.inner_text().count(SAMPLE_NAME) == 1  # the answer names its report once (4)
    # 👍/👎 under an answer, never under the greeting
    assert _thumbs_shown(page, "当前报告：") == 0 and _thumbs_shown(page, "86.3%") == 2
    first_src = _wait_for_image(page)

    # (2) a 收支总表 line has 809.69 on its 收入 side and on its 支出 side: the frame is on the 支出 cell
    total = _ask(page, "本年支出合计是多少")
    assert "809.69" in total.inner_text()
    total_src = _wait_for_image(page, previous=first_src)
    frame_x = page.evaluate(FRAME_X, "#page-image")
    assert frame_x is not None and frame_x > 0.8, frame_x  # the 收入 figure stands at about half the width
    # ... and on the page, the frame is over the printed 809.69 of the 本年支出合计 column
    _frame_over_printed_word(page.request.get(total_src).body(), *QIFU_TOTAL_OUT)
    if phone:
        # (3) the answer stays in view above its source, the framed cell is on screen, and there is a way back
        _wait_in_view(page, "#page-image img", 0.5)
        assert _in_view(page, "#answer-card") and "809.69" in page.locator("#answer-card").inner_text()
        page.wait_for_function(f"() => {{ const x = ({CELL_ON_SCREEN})(); return x > 0 && x < window.innerWidth; }}")
        _shot(page, f"{size}-2-answer-with-cell")
        page.locator("#back-to-answer").click()
        page.wait_for_function("() => { const r = document.querySelector('#chat').getBoundingClientRect(); return r.top >= -1 && r.top < 80; }")
        assert _answer_top_in_chat(page)
        _shot(page, f"{size}-3-back-to-answer")
    else:
        _wait_in_view(page, "#page-image img", 0.8)
        _shot(page, f"{size}-2-answer-with-cell")

    # the plan, collapsed, in the report's own numbers; a new answer still comes into view once it is open (7)
    calculation = _ask(page, example="基本支出占本年支出的比例是多少")
    assert "65.64%" in calculation.inner_text()
    how = calculation.locator("details.how")
    assert how.evaluate("d => d.open") is False
    how.locator("summary").click()
    how_text = how.inner_text()
    assert "531.51 ÷ 809.69" in how_text and "问题类型：" in how_text
    assert not re.search(r"\d\.0\b", how_text), how_text  # 92, never 92.0 (5)
    assert not re.search(r"[a-z]{3,}", how_text.replace("如何得出", "")), how_text  # no internal English names
    _wait_for_image(page, previous=total_src)
    citations = page.locator("#citations label")
    assert citations.count() >= 2
    citations.nth(1).click()
    page.wait_for_function("() => document.querySelector('#quote').innerText.includes('第11页')")

    # (1) a failure inside the server: a reply in the chat, with the placeholder while it was on its way
    page.locator("#question textarea").fill(FAILING)
    page.locator("#send").click()
    _wait_in_chat(page, "正在回答")
    _wait_in_chat(page, "这个问题没能回答：测试用的服务端错误")
    assert "65.64%" in _chat_text(page) and "86.3%" in _chat_text(page)  # the conversation is all there
    assert page.evaluate("() => !document.querySelector('.toast-body, .error')")  # no red 错误 badge
    assert FAILING in server["log"].read_text(errors="replace")  # logged with the question
    _shot(page, f"{size}-4-failure-is-a-reply")
    # the sources panel does not keep the last answer's page (11) up as if it were this reply's source
    page.wait_for_function(
        """() => document.querySelector('#quote').innerText.includes('没有得到回答')
                 && !document.querySelector('#quote').innerText.includes('第11页')"""
    )
    page.wait_for_timeout(1000)  # the panel's own refresh, which follows every answer, leaves it so
    assert page.evaluate(
        """() => { const img = document.querySelector('#page-image img');
                   return !img || img.offsetParent === null || img.getBoundingClientRect().height === 0; }"""
    )
    assert "第11页" not in page.locator("#sources").inner_text() and "65.64%" not in page.locator("#sources").inner_text()
    assert page.locator("#citations label").count() == 0
    assert _thumbs_shown(page, "这个问题没能回答") == 0
    if phone:
        page.locator("#sources").scroll_into_view_if_needed()
        _shot(page, f"{size}-4b-failure-no-source")
        page.locator("#back-to-answer").click()
    # ... and the next question is answered, and comes into view though 如何得出 was opened above
    follow = _ask(page, "本年收入合计是多少")
    assert "809.69" in follow.inner_text()
    assert _answer_top_in_chat(page)

    # (5) nonsense: a plain reply, no 如何得出, and the source panel does not talk about lost citations
    nonsense = _ask(page, "asdf")
    assert nonsense.locator("details.how").count() == 0
    assert "已不在当前对话中" not in page.locator("#sources").inner_text()

    # [1] in an earlier answer opens that answer's source
    page.locator("#chat .message.bot", has_text="86.3%").locator('a[href="#cite-1"]').first.click()
    page.wait_for_function("() => document.querySelector('#quote').innerText.includes('第41页')")
    _wait_for_image(page)

    # 👎 with the correct answer is stored under the data directory, for python -m eval --from-feedback
    page.locator("#chat .message.bot", has_text="65.64%").evaluate(
        """m => m.closest('.message-row').nextElementSibling
                 .querySelector('button[aria-label="踩"], button[aria-label="Dislike"]').click()"""
    )
    page.locator("#correction textarea").wait_for(state="visible")
    page.locator("#correction textarea").fill(f"65.7%（{size}）")
    page.locator("#correction-send").click()
    _wait_in_chat(page, "已记下更正")
    feedback = server["data_dir"] / "feedback.jsonl"
    assert f"65.7%（{size}）" in feedback.read_text(encoding="utf-8")
    assert "基本支出占本年支出的比例是多少" in feedback.read_text(encoding="utf-8")

    _ask(page, LONG_QUESTION)
    _no_internal_text(page)
    assert page.evaluate(ENGLISH_UI) == []

    # the conversation survives a reload in the same browser, and exports as Markdown with its citations
    page.reload()
    _wait_usable(page)
    restored = _chat_text(page)
    assert "政企云执行率是多少" in restored and "86.3%" in restored and "65.64%" in restored
    assert "这个问题没能回答" in restored
    _shot(page, f"{size}-5-after-reload")
    with page.expect_download() as download:
        page.locator("#export").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".md")
    assert "## 问：政企云执行率是多少" in exported and "## 问：基本支出占本年支出的比例是多少" in exported
    assert "86.3%" in exported and "65.64%" in exported
    assert "项目绩效自评表（第41页）" in exported and "（第11页）" in exported
    assert SAMPLE_NAME in exported and not REPORT_ID.search(exported) and "路由" not in exported
    # (1) the failed question is there with its reply; (7) sources once per answer, a long question cut short
    assert f"## 问：{FAILING}\n\n> 这个问题没能回答" in exported
    assert "原文页面见" not in exported
    headings = [line for line in exported.splitlines() if line.startswith("## 问：")]
    assert max(len(h) for h in headings) < 50 and any(h.endswith("…") for h in headings)

    # a new chat keeps this one in the 历史 tab, named by its first question; it opens again, and can be deleted
    page.locator("#new-chat").click()
    page.wait_for_function("() => !document.querySelector('#chat').innerText.includes('86.3%')")
    page.get_by_role("tab", name="历史").click()
    page.locator("#past-list label", has_text="政企云执行率是多少").click()
    _shot(page, f"{size}-9-past-conversations")
    page.locator("#past-open").click()
    _wait_in_chat(page, "86.3%")
    assert "这个问题没能回答" in _chat_text(page)
    page.get_by_role("tab", name="历史").click()
    # the opened one left the list, and the empty chat it replaced was not kept
    page.wait_for_function("() => document.querySelectorAll('#past-list label').length === 0")
    page.get_by_role("tab", name="问答").click()
    page.locator("#new-chat").click()
    page.get_by_role("tab", name="历史").click()
    page.locator("#past-list label", has_text="政企云执行率是多少").click()
    page.locator("#past-delete").click()
    page.wait_for_function("() => document.querySelectorAll('#past-list label').length === 0")
    assert browser["external"] == [], f"页面请求了外部资源：{browser['external']}"


DURING_UPLOAD = "维稳解困金项目的预算数是多少"
# the first answer bubble after the user's question that is neither a placeholder nor a note about the import
REPLY_TO = """([question, note]) => {
  const messages = [...document.querySelectorAll('#chat .message')];
  const asked = messages.findIndex((m) => m.classList.contains('user') && m.innerText.includes(question));
  if (asked < 0) return false;
  // was the switch made before the question was answered? (a quick import may finish before it is even asked)
  let after_switch = messages.slice(0, asked).some((m) => m.innerText.includes(note));
  for (const m of messages.slice(asked + 1)) {
    if (!m.classList.contains('bot') || m.querySelector('[role=status]') || m.closest('[role=status]')) continue;
    const text = m.innerText.trim();
    if (/^(Loading content|正在回答)/.test(text)) continue;  // the placeholder while the answer is on its way
    if (text.includes(note)) after_switch = true;
    if (!text || /^(正在导入|已导入|已切换到)/.test(text)) continue;
    return {text, after_switch};
  }
  return false;
}"""


def _upload(page, path: Path) -> None:
    page.locator("input[type=file][data-testid$=upload-button]").set_input_files(str(path))


def _wait_in_chat(page, text: str, *, timeout_ms: int = ANSWER_TIMEOUT_MS) -> None:
    page.wait_for_function(
        "([t]) => document.querySelector('#chat').innerText.includes(t)", arg=[text], timeout=timeout_ms
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_upload_and_switch_keep_the_conversation_and_the_audit_follows(server, browser, size, tmp_path):
    page = browser["new_page"](size)
    assert "86.3%" in _ask(page, "政企云执行率是多少").inner_text()

    # a file that is not a 部门决算: the refusal is a reply in the chat, and the conversation stays
    notes = tmp_path / "会议记录.txt"
    notes.write_text("这只是一份会议记录，不是部门决算。\n" * 20, encoding="utf-8")
    uploads = server["data_dir"] / "uploads"
    kept = set(uploads.glob("*"))
    _upload(page, notes)
    _wait_in_chat(page, "无法导入“会议记录.txt”")
    assert "不是部门决算" in _chat_text(page) and "86.3%" in _chat_text(page)
    assert set(uploads.glob("*")) == kept  # a failed upload is not kept

    # a real report: a question sent while it imports is answered on the current report, never dropped
    _upload(page, SECOND_REPORT)
    # the import shows in the chat at once (a re-import of known text can finish before we look)
    page.wait_for_function(
        "() => /(正在导入|已导入)“hanyang-scjgj-2023.txt”/.test(document.querySelector('#chat').innerText)"
    )
    page.locator("#question textarea").fill(DURING_UPLOAD)
    page.locator("#send").click()
    _wait_in_chat(page, f"已切换到：{SECOND_NAME}", timeout_ms=FIRST_START_TIMEOUT * 1000)  # importing takes a while
    reply = page.wait_for_function(REPLY_TO, arg=[DURING_UPLOAD, f"已切换到：{SECOND_NAME}"]).json_value()
    if not reply["after_switch"]:
        assert "40万元" in reply["text"], reply  # answered on the report that was current when it was asked
    else:
        assert "⚠" not in reply["text"], reply  # or after the switch, on the new report
    chat = _chat_text(page)
    assert "86.3%" in chat and "无法导入“会议记录.txt”" in chat  # nothing lost
    same = [p for p in uploads.glob("*") if p.read_bytes() == SECOND_REPORT.read_bytes()]
    assert len(same) == 1, same  # the same report uploaded at both sizes is kept once
    assert page.locator("#report-picker input").input_value() == SECOND_NAME
    # (4) with two reports loaded, an answer names the report it is about (asked at once after the reply above:
    # a question sent while the last answer's page is still loading is answered, not left at "正在回答…")
    on_second = _ask(page, "本年支出合计是多少")
    assert "4,830.47" in on_second.inner_text() or "4830.47" in on_second.inner_text()
    assert on_second.inner_text().count(SECOND_NAME) == 1 and SAMPLE_NAME not in on_second.inner_text()
    _shot(page, f"{size}-6-after-upload")

    # the 核对 tab names the report it checked, and follows a switch
    page.get_by_role("tab", name="核对").click()
    page.wait_for_function(
        "([n]) => document.querySelector('#audit-title').innerText.includes(n)", arg=[SECOND_NAME]
    )
    page.get_by_role("tab", name="问答").click()
    page.locator("#report-picker input").click()
    page.get_by_role("option", name=SAMPLE_NAME).click()
    _wait_in_chat(page, f"已切换到：{SAMPLE_NAME}")
    assert chat.split("已切换到")[0] in _chat_text(page)  # the earlier conversation is still there
    _no_internal_text(page)
    page.get_by_role("tab", name="核对").click()
    page.wait_for_function("([n]) => document.querySelector('#audit-title').innerText.includes(n)", arg=[SAMPLE_NAME])
    page.wait_for_function("() => document.querySelectorAll('#audit-findings label').length > 0")
    assert "发现" in page.locator("#audit-result").inner_text()
    # a finding opens its page with the compared cells boxed, and the page comes into view
    page.locator("#audit-findings label", has_text="基本支出").first.click()  # the list grows as checks are added
    _wait_for_image(page, "#audit-image")
    _wait_in_view(page, "#audit-image img", 0.5)
    detail = page.locator("#audit-detail").inner_text()
    assert "基本支出" in detail and "第13页" in detail and "第23页" in detail
    _shot(page, f"{size}-7-audit-finding")

    # the 表格 view shows a table of the current report and downloads its facts as `facts --format csv` does
    page.get_by_role("tab", name="表格").click()
    page.locator("#table-picker input").click()
    page.get_by_role("option", name=re.compile("支出决算表")).first.click()
    page.wait_for_function("() => document.querySelector('#table-view').innerText.includes('支出决算表')")
    table_title = page.locator("#table-view p b").inner_text()
    assert "合计" in page.locator("#table-view table").inner_text()
    # (6) the table as printed: Chinese headers, rows × printed columns, codes in their own column
    with page.expect_download() as download:
        page.locator("#table-csv").click()
    printed = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert download.value.suggested_filename.endswith(".csv") and not REPORT_ID.search(download.value.suggested_filename)
    first_line = printed.splitlines()[0]
    assert not re.search(r"[A-Za-z]{3,}", first_line) and not REPORT_ID.search(printed), first_line
    assert "合计" in printed and printed.count("\n") > 10
    # ... and the long format (one figure a line), as `facts --format csv` prints it, as a second choice
    with page.expect_download() as download:
        page.locator("#table-long-csv").click()
    downloaded = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    key = table_title.split(" ")[0]
    assert downloaded == _cli_facts_csv(server, SAMPLE_NAME, key)
    # on a phone the table scrolls, not the page
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    box = page.evaluate(
        """() => { const t = document.querySelector('#table-view .table-scroll'), r = t.getBoundingClientRect();
                   return {height: t.clientHeight, right: r.right, wide: t.scrollWidth > t.clientWidth}; }"""
    )
    assert box["height"] <= 0.62 * page.viewport_size["height"] + 2 and box["right"] <= page.viewport_size["width"] + 1
    if size == "phone":  # the table's box scrolls: its last column can be brought into view
        assert box["wide"]
        last = page.evaluate(
            """() => { const t = document.querySelector('#table-view .table-scroll'); t.scrollLeft = t.scrollWidth;
                       const cells = t.querySelectorAll('tr:last-child td'), c = cells[cells.length - 1].getBoundingClientRect();
                       return {left: t.scrollLeft, right: c.right}; }"""
        )
        assert last["left"] > 0 and last["right"] <= page.viewport_size["width"] + 1, last
    _shot(page, f"{size}-8-table")
    assert browser["external"] == [] and server["proxy"].requests == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_shanghai_answer_frames_the_cited_cell(server, browser, size):
    """A 上海 支出决算表 prints 54.53 twice on the 行政单位离退休 line (合计 and 基本支出): the frame is on the
    基本支出 cell the answer cites, on a page of a report uploaded in the browser."""
    page = browser["new_page"](size)
    started = time.perf_counter()
    _upload(page, PUTUO_PDF)
    _wait_in_chat(page, f"已切换到：{SHANGHAI_NAME}", timeout_ms=FIRST_START_TIMEOUT * 1000)
    TIMINGS.append(("上传上海报告（PDF）至可提问", time.perf_counter() - started))
    answer = _ask(page, "行政单位离退休的基本支出是多少")
    assert "54.53" in answer.inner_text() and "第10页" in answer.inner_text(), answer.inner_text()
    assert answer.inner_text().count(SHANGHAI_NAME) == 1
    src = _wait_for_image(page)
    _frame_over_printed_word(page.request.get(src).body(), *PUTUO_RETIRED_BASIC)
    if size == "phone":  # the framed cell is panned into view
        _wait_in_view(page, "#page-image img", 0.5)
        page.wait_for_function(f"() => {{ const x = ({CELL_ON_SCREEN})(); return x > 0 && x < window.innerWidth; }}")
    else:
        _wait_in_view(page, "#page-image img", 0.8)
    _shot(page, f"{size}-10-shanghai-cell")
    assert browser["external"] == []


def _cli_facts_csv(server, report_name: str, table: str) -> str:
    """What `python -m assistant facts REPORT --table TABLE --format csv` prints for the named report."""
    env = {**os.environ, "JUESUAN_DATA_DIR": str(server["data_dir"]), "HF_HUB_OFFLINE": "1"}
    listing = subprocess.run(
        [sys.executable, "-m", "assistant", "reports"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    report_id = next(line.split("\t")[0] for line in listing.splitlines() if line.split("\t")[1] + line.split("\t")[2] == report_name)
    return subprocess.run(
        [sys.executable, "-m", "assistant", "facts", report_id, "--table", table, "--format", "csv"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


def test_sessions_keep_separate_followup_context(server, browser):
    first, second = browser["new_page"](), browser["new_page"]()
    assert "86.3%" in _ask(first, "政企云执行率是多少").inner_text()
    # the second user never asked about 政企云, so their follow-up must not inherit it
    assert "政企云" not in _ask(second, "实际执行了多少").inner_text()
    assert "79.4" in _ask(first, "实际执行了多少").inner_text()
    assert browser["external"] == []


def test_oversized_upload_is_refused_in_the_chat(server, browser, tmp_path):
    page = browser["new_page"]("phone")
    big = tmp_path / "大文件.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(51 * 1024 * 1024)  # sparse: no 51 MB written to disk
    _upload(page, big)
    _wait_in_chat(page, "超过 50 MB 上限")
    assert "大文件.pdf" in _chat_text(page)
