"""Realistic progress records, generated deterministically from a seed.

The mix follows what weekly OKR updates look like: mostly plain paragraphs and short
bullet or numbered lists (one or two levels deep), most runs unstyled, some bold, a few
coloured or linked, an occasional mention, doc link, task list or picture; Chinese and
English text. Used by the tests and the benchmarks (``from tests.realistic import ...``).
"""

from __future__ import annotations

import random
from typing import Any

WORDS = (
    "shipped onboarding flow retention metrics dashboard latency p99 reduced migration "
    "completed review pending blocked owner customer interviews roadmap Q3 launch "
    "完成 上线 用户 增长 指标 优化 风险 延期 评审 推进 目标 数据 飞书 文档 客户"
).split()

RED = {"red": 245, "green": 74, "blue": 69, "alpha": 1}
YELLOW = {"red": 255, "green": 246, "blue": 122, "alpha": 0.8}


def _text(rng: random.Random, low: int = 3, high: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _run(rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    style: dict[str, Any] = {}
    if roll < 0.15:
        style = {"bold": True}
    elif roll < 0.20:
        style = {"textColor": RED}
    elif roll < 0.23:
        style = {"backColor": YELLOW, "bold": True}
    elif roll < 0.28:
        style = {"link": {"url": f"https://example.com/wiki/{rng.randint(1, 999)}"}}
    elif roll < 0.31:
        style = {"strikeThrough": True}
    return {"type": "textRun", "textRun": {"text": _text(rng) + " ", "style": style}}


def _paragraph(rng: random.Random, lst: dict[str, Any] | None) -> dict[str, Any]:
    elements = [_run(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.10:
        elements.append({"type": "person", "person": {"openId": f"ou_{rng.getrandbits(64):016x}"}})
    if rng.random() < 0.05:
        elements.append(
            {
                "type": "docsLink",
                "docsLink": {
                    "url": f"https://example.feishu.cn/docx/{rng.getrandbits(48):012x}",
                    "title": "周报 " + _text(rng, 1, 3),
                },
            }
        )
    paragraph: dict[str, Any] = {"elements": elements}
    if lst is not None:
        paragraph["style"] = {"list": lst}
    return {"type": "paragraph", "paragraph": paragraph}


def make_content(rng: random.Random, blocks: int = 15) -> dict[str, Any]:
    """A ``content_block`` of about ``blocks`` lines."""
    out: list[dict[str, Any]] = []
    while len(out) < blocks:
        roll = rng.random()
        if roll < 0.45:
            out.append(_paragraph(rng, None))
        elif roll < 0.90:
            kind = rng.choice(["bullet", "bullet", "number", "number", "checkBox", "checkedBox"])
            numbers = {1: 0, 2: 0}
            for _ in range(rng.randint(2, 5)):
                level = 1 if rng.random() < 0.7 else 2
                numbers[level] += 1
                if level == 1:
                    numbers[2] = 0
                lst = {"type": kind, "indentLevel": level, "number": numbers[level]}
                out.append(_paragraph(rng, lst))
        elif roll < 0.95:
            out.append(_paragraph(rng, {"type": "indent", "indentLevel": 1}))
        else:
            out.append(
                {
                    "type": "gallery",
                    "gallery": {
                        "imageList": [
                            {
                                "fileToken": f"boxcn{rng.getrandbits(64):016x}",
                                "src": f"https://example.feishu.cn/img/{rng.getrandbits(32):08x}.png",
                                "width": float(rng.choice([640, 800, 1280])),
                                "height": float(rng.choice([360, 480, 720])),
                            }
                        ]
                    },
                }
            )
    return {"blocks": out[:blocks]}


def make_record(rng: random.Random, blocks: int = 15, index: int = 0) -> dict[str, Any]:
    """A bare progress record (the ``data`` of the API envelope)."""
    return {
        "progress_id": str(7046518160811425812 + index),
        "modify_time": str(1640677213095 + index * 604_800_000),
        "content": make_content(rng, blocks),
        "progress_rate": {
            "percent": round(rng.uniform(0, 100), 2),
            "status": rng.choice([-1, 0, 1, 2]),
        },
    }


def make_envelope(rng: random.Random, blocks: int = 15, index: int = 0) -> dict[str, Any]:
    """The record as the OpenAPI returns it."""
    return {"code": 0, "msg": "success", "data": make_record(rng, blocks, index)}


def main() -> None:
    """``python -m tests.realistic N [SEED]``: N envelopes as JSON Lines on stdout."""
    import json
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
    for index in range(count):
        sys.stdout.write(json.dumps(make_envelope(rng, index=index), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
