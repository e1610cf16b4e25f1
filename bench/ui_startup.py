"""Web chat start-up time: from `python -m assistant serve` to a usable page, sample already ingested.

Usage: python bench/ui_startup.py [--data-dir DIR] [--runs 3] [--no-browser]

The sample is ingested first (untimed) if the data directory lacks it. Each run then starts the
server in a subprocess and reports: until it answers HTTP; until headless Chromium (Debian's
/usr/bin/chromium, started before the clock) shows a usable page — the report named in the picker,
the greeting in the chat, the question box on screen; and, from sending a first question, until
its answer is shown with the cited page image loaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.settings import PROJECT_ROOT, load_settings  # noqa: E402
from bench.browser import CHROMIUM_ARGS, free_port, stop  # noqa: E402

TARGET_SECONDS = 10.0



def ensure_sample_ingested(data_dir: Path) -> None:
    """Ingest the bundled sample into data_dir unless it is there already (not timed)."""
    os.environ["JUESUAN_DATA_DIR"] = str(data_dir)
    from assistant.service import Assistant
    from ui.app import ensure_sample

    assistant = Assistant(settings=load_settings())
    try:
        ensure_sample(assistant)
    finally:
        assistant.close()


def wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"no answer from {url} within {timeout:.0f} s")


QUESTION = "政企云执行率是多少"
PAGE_SHOWN = """() => {
  const img = document.querySelector('#page-image img');
  return img && img.complete && img.naturalWidth > 0;
}"""


def one_run(data_dir: Path, browser) -> tuple[float, float | None, float | None]:
    """Seconds until HTTP 200, until the chat is usable, and from a first question to its page image."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "JUESUAN_DATA_DIR": str(data_dir)}
    page = browser.new_page() if browser else None
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(url, process, timeout=120)
        http_ready = time.perf_counter() - started
        usable = answered = None
        if page is not None:
            page.goto(url)
            # usable: the load event has named the report and greeted the user; the question box is there
            page.locator("#chat .message.bot").first.wait_for(timeout=60_000)
            page.locator("#question textarea").wait_for()
            page.wait_for_function("() => document.querySelector('#report-picker input').value !== ''")
            usable = time.perf_counter() - started
            asked = time.perf_counter()
            page.locator("#question textarea").fill(QUESTION)
            page.locator("#send").click()
            page.wait_for_function(PAGE_SHOWN, timeout=60_000)
            answered = time.perf_counter() - asked
            page.close()
        return http_ready, usable, answered
    finally:
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="data directory (default: JUESUAN_DATA_DIR or ./data)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="time HTTP readiness only")
    args = parser.parse_args()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    data_dir = (args.data_dir or load_settings().data_dir).resolve()
    ensure_sample_ingested(data_dir)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    use_browser = not args.no_browser and Path(chromium).exists()
    if not args.no_browser and not use_browser:
        print("chromium not found: timing HTTP readiness only", file=sys.stderr)

    results: list[tuple[float, float | None, float | None]] = []
    if use_browser:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=chromium, args=CHROMIUM_ARGS, headless=True
            )
            for _ in range(args.runs):
                results.append(one_run(data_dir, context))
            context.close()
    else:
        results = [one_run(data_dir, None) for _ in range(args.runs)]

    for i, (http_ready, usable, answered) in enumerate(results, 1):
        page_part = f", page usable {usable:.2f} s" if usable is not None else ""
        answer_part = f", first answer with its page {answered:.2f} s after asking" if answered is not None else ""
        print(f"run {i}: server answers {http_ready:.2f} s{page_part}{answer_part}")
    worst = max((u if u is not None else h) for h, u, _ in results)
    median = statistics.median((u if u is not None else h) for h, u, _ in results)
    what = "page usable" if use_browser else "server answers"
    verdict = "within" if worst <= TARGET_SECONDS else "OVER"
    print(f"start-up to {what}: median {median:.2f} s, worst {worst:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
