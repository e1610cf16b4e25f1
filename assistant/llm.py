"""Optional: let an OpenAI-compatible endpoint phrase a narrative answer from retrieved passages only."""

from __future__ import annotations

import json
import re
import urllib.request

from prompts import load_prompt

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def make_phraser(*, url: str, model: str, timeout: float = 20.0):
    """A callable(question, passages) -> str | None; None when the endpoint fails or adds numbers."""
    prompt = load_prompt("narrative")
    endpoint = url.rstrip("/") + ("" if url.rstrip("/").endswith("/chat/completions") else "/chat/completions")

    def phrase(question: str, texts: list[str]) -> str | None:
        body = {
            "model": model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": prompt["system"]},
                {"role": "user", "content": prompt["user"].format(question=question, passages="\n\n".join(texts))},
            ],
        }
        request = urllib.request.Request(
            endpoint, data=json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                reply = json.loads(response.read().decode("utf-8"))
            text = reply["choices"][0]["message"]["content"].strip()
        except Exception:
            return None
        return text if numbers_supported(text, texts) else None

    return phrase


def numbers_supported(text: str, sources: list[str]) -> bool:
    """Every number in the phrased answer occurs in the passages it was given."""
    source_numbers = {n.rstrip("0").rstrip(".") for s in sources for n in _NUMBER.findall(s.replace(",", ""))}
    return all(n.rstrip("0").rstrip(".") in source_numbers for n in _NUMBER.findall(text.replace(",", "")))
