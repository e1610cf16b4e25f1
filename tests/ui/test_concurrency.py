"""20 chat sessions at once through the app's API on 127.0.0.1: follow-ups never cross sessions."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.service import Assistant
from tests.conftest import QIFU_TXT

pytestmark = pytest.mark.integration

SESSIONS = 20
# (first question, its value, the same follow-up for everyone, the follow-up's value in that conversation)
CONVERSATIONS = [
    ("政企云项目预算是多少", 92.0, "实际执行了多少", 79.4),
    ("维稳解困金项目的预算数是多少", 40.0, "实际执行了多少", 40.0),
    ("第二砖瓦厂等5家改制企业工作经费预算是多少", 114.0, "实际执行了多少", 93.33),
    ("物资站人员经费项目预算是多少", 17.0, "实际执行了多少", 15.45),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from assistant.settings import load_settings
    from dataclasses import replace

    from ui.app import build_app, launch

    settings = replace(load_settings(), data_dir=tmp_path_factory.mktemp("concurrency"))
    assistant = Assistant(settings=settings, index_passages=False)
    report = assistant.ingest(QIFU_TXT).report_id
    app = build_app(assistant, default_report=report)
    port = _free_port()
    launch(app, host="127.0.0.1", port=port, block=False)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_twenty_sessions_keep_their_own_follow_ups(server):
    from gradio_client import Client

    barrier = threading.Barrier(SESSIONS, timeout=120)

    def chat(i: int) -> tuple[float, float, float, float]:
        first, first_value, follow_up, follow_value = CONVERSATIONS[i % len(CONVERSATIONS)]
        client = Client(server, verbose=False)
        a = client.predict(first, api_name="/ask")
        barrier.wait()  # every session has its first answer before any asks the follow-up
        b = client.predict(follow_up, api_name="/ask")
        assert "error" not in (a["kind"], b["kind"]), (a, b)
        return a["value"], first_value, b["value"], follow_value

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(chat, range(SESSIONS), timeout=300))
    assert len(results) == SESSIONS
    for got_first, want_first, got_follow, want_follow in results:
        assert (got_first, got_follow) == (want_first, want_follow)
