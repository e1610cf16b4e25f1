"""The optional LLM phraser: a local stub endpoint; invented numbers are rejected."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from assistant.llm import make_phraser, numbers_supported


@pytest.fixture
def endpoint():
    replies: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            assert body["messages"][0]["role"] == "system"
            payload = json.dumps({"choices": [{"message": {"content": replies.pop(0)}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1", replies
    server.shutdown()


def test_phrase_keeps_supported_numbers(endpoint):
    url, replies = endpoint
    replies.append("政企云平台建设了网站及微信小程序，执行数为79.4万元。")
    phrase = make_phraser(url=url, model="stub")
    assert phrase("政企云建设了什么", ["网站及微信小程序建设 执行数为 79.4 万元"]).startswith("政企云平台")


def test_phrase_rejects_invented_numbers(endpoint):
    url, replies = endpoint
    replies.append("执行数为80万元。")
    phrase = make_phraser(url=url, model="stub")
    assert phrase("执行了多少", ["执行数为 79.4 万元"]) is None


def test_unreachable_endpoint_falls_back():
    phrase = make_phraser(url="http://127.0.0.1:9", model="stub", timeout=1)
    assert phrase("问题", ["原文"]) is None


@pytest.mark.parametrize(
    "text,ok", [("共 92 万元", True), ("共 92.0 万元", True), ("共 93 万元", False), ("没有数字", True)]
)
def test_numbers_supported(text, ok):
    assert numbers_supported(text, ["预算数为 92 万元"]) is ok
