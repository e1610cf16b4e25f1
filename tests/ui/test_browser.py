"""Drive the real web chat in headless Chromium: ask, open a citation, follow up, upload bad files.

The server is `python -m assistant serve` in a subprocess with a fresh data directory, so the
first start ingests the bundled sample exactly as a new user's would. Outbound HTTP from the
server goes to a recording proxy, and the browser's requests are recorded too: both must stay
on 127.0.0.1.
"""

from __future__ import annotations

import os
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

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ARTIFACTS = PROJECT_ROOT / "artifacts"
SCREENSHOT = ARTIFACTS / "ui-chat.png"
FIRST_START_TIMEOUT = 600  # the first start ingests and indexes the sample
ANSWER_TIMEOUT_MS = 60_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# for the screenshot only: let the chat grow to its content so the whole conversation is visible
EXPAND_CHAT_CSS = "#chat, #chat .bubble-wrap { height: auto !important; max-height: none !important; }"


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
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + FIRST_START_TIMEOUT
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

        def new_page():
            # a fresh context is a fresh browser profile: its own cookies, storage and Gradio session
            context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="zh-CN")

            def record(request):
                host = urlparse(request.url).hostname
                if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL_HOSTS:
                    external.append(request.url)

            context.on("request", record)
            page = context.new_page()
            page.set_default_timeout(ANSWER_TIMEOUT_MS)
            page.goto(server["url"])
            # the page is usable once its load event has picked the report and greeted the user
            page.locator("#chat .message.bot").first.wait_for()
            return page

        yield {"new_page": new_page, "external": external}
        browser.close()


ANSWERED = """([n]) => {
  const bubbles = document.querySelectorAll('#chat .message.bot');
  if (bubbles.length <= n) return false;
  const text = bubbles[n].innerText;
  return text.includes('路由') || text.includes('⚠');  // every answer names its route; errors start with ⚠
}"""


def _ask(page, question: str | None = None, *, example: str | None = None):
    """Send a question (typed, or by its example button) and return the answer bubble once rendered."""
    before = page.locator("#chat .message.bot").count()
    if example:
        page.get_by_role("button", name=example).click()
    else:
        page.locator("#question textarea").fill(question)
        page.locator("#send").click()
    page.wait_for_function(ANSWERED, arg=[before], timeout=ANSWER_TIMEOUT_MS)
    return page.locator("#chat .message.bot").nth(before)


def _upload_error(page, path: Path) -> str:
    """Upload a file through the upload button and return the status line once it reports an error for it."""
    page.locator("input[type=file][data-testid$=upload-button]").set_input_files(str(path))
    page.wait_for_function(
        """([name]) => {
          const text = document.querySelector('#upload-status').innerText;
          return text.includes('⚠') && text.includes(name);
        }""",
        arg=[path.name],
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator("#upload-status").inner_text()


def _wait_for_page_image(page) -> None:
    """Wait until the sources panel shows a rendered page (at 144 dpi a page is over 1000 px wide)."""
    page.wait_for_function(
        """() => {
          const img = document.querySelector('#page-image img');
          return img && img.complete && img.naturalWidth > 1000 && !document.querySelector('.pending');
        }"""
    )


def test_chat_with_citation_followup_and_bad_uploads(server, browser, tmp_path):
    page = browser["new_page"]()
    # the sample report is already selected on first start
    assert "企业服务中心" in page.locator("#report-picker input").input_value()

    answer = _ask(page, "政企云执行率是多少")
    answer_text = answer.inner_text()
    assert "86.3%" in answer_text
    assert "政企云沟通畅联平台建设经费" in answer_text and "自评表" in answer_text
    assert "第41页" in answer_text

    # open the citation from the button under the answer; the page image appears with the quote
    page.get_by_role("button", name="查看出处 [1]").click()
    _wait_for_page_image(page)
    quote = page.locator("#quote").inner_text()
    assert "第41页" in quote and "年度财政资金总额" in quote and "86.3%" in quote
    assert page.locator("#citations input:checked").count() == 1

    follow_up = _ask(page, "实际执行了多少")
    assert "79.4" in follow_up.inner_text() and "政企云" in follow_up.inner_text()

    # a text file that is not a 部门决算 gets the ingest error; a fake PDF gets a PDF error
    notes = tmp_path / "会议记录.txt"
    notes.write_text("这只是一份会议记录，不是部门决算。\n" * 20, encoding="utf-8")
    status = _upload_error(page, notes)
    assert "无法导入“会议记录.txt”" in status and "不是部门决算" in status
    fake_pdf = tmp_path / "假报告.pdf"
    fake_pdf.write_bytes(b"GIF89a not a pdf at all")
    status = _upload_error(page, fake_pdf)
    assert "无法导入“假报告.pdf”" in status and "PDF" in status
    assert list((server["data_dir"] / "uploads").glob("*")) == []  # failed uploads are not kept

    # the sample report still answers, and an example question runs from its button
    assert "企业服务中心" in page.locator("#report-picker input").input_value()
    calculation = _ask(page, example="计算：基本支出占本年支出的比例是多少").inner_text()
    assert "65.64%" in calculation and "531.51 ÷ 809.69" in calculation

    # the audit tab checks the current report
    page.get_by_role("tab", name="核对").click()
    page.locator("#audit-run").click()
    page.wait_for_function(
        "() => /发现|核对完毕/.test(document.querySelector('#audit-result').innerText)", timeout=ANSWER_TIMEOUT_MS
    )
    page.get_by_role("tab", name="问答").click()

    # show the first answer's page again, and the whole conversation, for a human to look at
    page.locator("#chat .message.bot").nth(1).click()
    page.locator("#page-image img").wait_for(state="detached")  # selecting a message resets the panel
    page.locator("#citations label").first.click()
    _wait_for_page_image(page)
    page.add_style_tag(content=EXPAND_CHAT_CSS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    assert browser["external"] == [], f"页面请求了外部资源：{browser['external']}"
    assert server["proxy"].requests == [], f"服务端尝试联网：{server['proxy'].requests}"


def test_sessions_keep_separate_followup_context(server, browser):
    first, second = browser["new_page"](), browser["new_page"]()
    assert "86.3%" in _ask(first, "政企云执行率是多少").inner_text()
    # the second user never asked about 政企云, so their follow-up must not inherit it
    assert "政企云" not in _ask(second, "实际执行了多少").inner_text()
    assert "79.4" in _ask(first, "实际执行了多少").inner_text()
    assert browser["external"] == []


def test_oversized_upload_is_refused_in_chinese(server, browser, tmp_path):
    page = browser["new_page"]()
    big = tmp_path / "大文件.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(51 * 1024 * 1024)  # sparse: no 51 MB written to disk
    status = _upload_error(page, big)
    assert "超过 50 MB 上限" in status and "大文件.pdf" in status
