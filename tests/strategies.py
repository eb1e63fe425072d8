"""Hypothesis strategies for OKR content, on the wire (JSON) and as model trees.

``wire_content()`` draws ``content_block`` JSON the way servers may send it: every block,
element and list kind, levels 1..16 with jumps, odd numbering, every style, colours with
any alpha, text full of newlines and Markdown/HTML syntax, awkward URLs, and (unless
``unknown=False``) undocumented keys at every level and unknown block/element types.
``contents()`` is the same, loaded into the model; converter round trips draw from it.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

import okrcontent
from okrcontent import Content

JsonDict = dict[str, Any]

SYNTAX = [
    "*",
    "_",
    "`",
    "#",
    "+",
    "-",
    ".",
    "!",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "|",
    "~",
    "\\",
    "&",
    "1. ",
    "- ",
    "* ",
    "+ ",
    "# ",
    "> ",
    "```",
    "~~~",
    "---",
    "***",
    "    ",
    "\t",
    "\n",
    "  \n",
    "<b>",
    "</span>",
    "&amp;",
    "&#x41;",
    "&nbsp;",
    "<!--",
    "-->",
    "<script>alert(1)</script>",
    "[x] ",
    "[ ] ",
    "1) ",
    "\\\n",
    "http://example.com",
    "@",
    "|a|b|",
    "\r\n",
    "\u00a0",
    "\u200b",
    "é",
    "e\u0301",
    "中文",
    "👍🏽",
    "\u05e9\u05dc\u05d5\u05dd",
    "\x00",
    "\x1b",
]
"""Fragments that trip converters: Markdown and HTML syntax, whitespace, unicode."""

URLS = [
    "https://example.com/a b",
    "https://example.com/(x)",
    "https://例子.测试/路径?q=値",
    "https://example.com/p?q=1&r=<2>",
    "mailto:someone@example.com",
    "/relative/path",
    "https%3A%2F%2Fexample.com%2Fp%3Fq%3D1",
    "javascript:alert(1)",
    "https://example.com/a)b(",
    "https://example.com/`x`",
    "https://example.com/<>\"'",
    "",
    "https://x.test/a\\b",
]

RESERVED = frozenset({"code", "data", "msg", "content", "progress_id"})
"""Keys that tell a record from content (``load_content`` refuses a record): never unknown."""

text = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=4)), max_size=5).map("".join),
)
urls = st.one_of(st.sampled_from(URLS), st.text(max_size=10).map(lambda s: "https://ex.com/" + s))

json_leaf = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
)
json_value = st.recursive(
    json_leaf,
    lambda kids: st.one_of(
        st.lists(kids | st.none(), max_size=3),
        st.dictionaries(st.text(max_size=4), kids, max_size=3),
    ),
    max_leaves=6,
)


def _with_unknown(
    base: st.SearchStrategy[JsonDict],
    known: set[str],
    unknown: bool,
) -> st.SearchStrategy[JsonDict]:
    if not unknown:
        return base
    extra = st.dictionaries(
        st.text(min_size=1, max_size=6).filter(lambda k: k not in known and k not in RESERVED),
        json_value,
        max_size=2,
    )
    return st.builds(lambda d, e: {**e, **d}, base, st.one_of(st.just({}), extra))


def _object(unknown: bool, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[JsonDict]:
    """A JSON object with any subset of ``fields`` (absent stays absent)."""
    base = st.fixed_dictionaries({}, optional=fields)
    return _with_unknown(base, set(fields), unknown)


def colors(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    channel = st.integers(0, 255)
    alpha = st.one_of(st.floats(0, 1), st.sampled_from([0, 1, 0.5, 1.0]))
    return _object(unknown, red=channel, green=channel, blue=channel, alpha=alpha)


def text_styles(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    return _object(
        unknown,
        bold=st.booleans(),
        strikeThrough=st.booleans(),
        textColor=colors(unknown),
        backColor=colors(unknown),
        link=_object(unknown, url=urls),
    )


def _tagged(
    tag: str,
    payload: st.SearchStrategy[JsonDict],
    unknown: bool,
) -> st.SearchStrategy[JsonDict]:
    base = payload.map(lambda p: {"type": tag, tag: p})
    return _with_unknown(base, {"type", tag}, unknown)


def elements(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    run = _object(unknown, text=text, style=text_styles(unknown))
    docs = _object(unknown, url=urls, title=text)
    person = _object(
        unknown,
        openId=st.from_regex(r"ou_[0-9a-f]{8}", fullmatch=True),
        userId=st.from_regex(r"[0-9]{6}", fullmatch=True),
    )
    kinds = [
        _tagged("textRun", run, unknown),
        _tagged("textRun", run, unknown),
        _tagged("docsLink", docs, unknown),
        _tagged("person", person, unknown),
    ]
    if unknown:
        kinds.append(st.builds(lambda v: {"type": "sticker", "sticker": v}, json_value))
    return st.one_of(kinds)


LIST_KINDS = ["number", "bullet", "checkBox", "checkedBox", "indent"]


def list_styles(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    base = st.fixed_dictionaries(
        {"type": st.sampled_from(LIST_KINDS)},
        optional={
            "indentLevel": st.integers(1, 16),
            "number": st.one_of(
                st.integers(1, 12),
                st.sampled_from([0, 999_999_998, 999_999_999]),  # the edges (issue 13)
                st.integers(0, 999_999_999),
            ),
        },
    )
    return _with_unknown(base, {"type", "indentLevel", "number"}, unknown)


def blocks(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    paragraph = _object(
        unknown,
        style=_object(unknown, list=list_styles(unknown)),
        elements=st.lists(elements(unknown), max_size=5),
    )
    size = st.floats(0, 4000, allow_nan=False) | st.integers(0, 4000)
    image = _object(
        unknown,
        fileToken=st.from_regex(r"boxcn[0-9a-zA-Z]{6}", fullmatch=True),
        src=urls,
        width=size,
        height=size,
    )
    gallery = _object(unknown, imageList=st.lists(image, max_size=3))
    kinds = [_tagged("paragraph", paragraph, unknown)] * 4 + [_tagged("gallery", gallery, unknown)]
    if unknown:
        kinds.append(st.builds(lambda v: {"type": "table", "table": v, "rows": 2}, json_value))
    return st.one_of(kinds)


def wire_content(unknown: bool = True, max_blocks: int = 12) -> st.SearchStrategy[JsonDict]:
    """``content_block`` JSON."""
    return _object(unknown, blocks=st.lists(blocks(unknown), max_size=max_blocks))


def wire_records(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    """A bare progress record as JSON."""
    rate = _object(
        unknown,
        percent=st.floats(0, 100).map(lambda p: round(p, 2)),
        status=st.sampled_from([-1, 0, 1, 2]),
    )
    return _object(
        unknown,
        progress_id=st.from_regex(r"[0-9]{19}", fullmatch=True),
        modify_time=st.from_regex(r"[0-9]{13}", fullmatch=True),
        content=wire_content(unknown),
        progress_rate=rate,
    )


def contents(unknown: bool = True) -> st.SearchStrategy[Content]:
    """Model trees, as loaded from :func:`wire_content`."""
    return wire_content(unknown).map(okrcontent.load_content)


def seeded_wire_content(rng: random.Random, max_blocks: int = 12) -> JsonDict:
    """``content_block`` JSON drawn from ``rng`` alone (no hypothesis): the same seed gives
    the same content on every machine and every hypothesis version, for golden outputs.
    The same ingredients as :func:`wire_content`: syntax, unicode, awkward URLs, every list
    kind and level, every style, unknown types."""

    def text() -> str:
        words = ["ship", "完成", "the", "Q3", "plan", " ", "👍🏽", "snake_case"]
        return "".join(rng.choice(SYNTAX + words) for _ in range(rng.randint(0, 4)))

    def color() -> JsonDict:
        return {"red": rng.randint(0, 255), "green": rng.randint(0, 255), "alpha": rng.random()}

    def element() -> JsonDict:
        roll = rng.random()
        if roll < 0.7:
            style: JsonDict = {}
            for key, make in (
                ("bold", lambda: True),
                ("strikeThrough", lambda: True),
                ("textColor", color),
                ("backColor", color),
                ("link", lambda: {"url": rng.choice(URLS)}),
            ):
                if rng.random() < 0.25:
                    style[key] = make()
            return {"type": "textRun", "textRun": {"text": text(), "style": style}}
        if roll < 0.8:
            return {"type": "docsLink", "docsLink": {"url": rng.choice(URLS), "title": text()}}
        if roll < 0.95:
            return {"type": "person", "person": {"openId": f"ou_{rng.getrandbits(32):08x}"}}
        return {"type": "sticker", "sticker": {"id": rng.randint(0, 9)}}

    blocks: list[JsonDict] = []
    for _ in range(rng.randint(1, max_blocks)):
        roll = rng.random()
        if roll < 0.85:
            paragraph: JsonDict = {"elements": [element() for _ in range(rng.randint(0, 5))]}
            if rng.random() < 0.6:
                lst: JsonDict = {"type": rng.choice(LIST_KINDS), "indentLevel": rng.randint(1, 16)}
                if rng.random() < 0.6:
                    lst["number"] = rng.choice([0, 1, 2, 3, 7, 999_999_999, rng.randint(0, 99)])
                paragraph["style"] = {"list": lst}
            blocks.append({"type": "paragraph", "paragraph": paragraph})
        elif roll < 0.95:
            image = {
                "fileToken": f"boxcn{rng.getrandbits(24):06x}",
                "src": rng.choice(URLS),
                "width": float(rng.randint(0, 4000)),
            }
            blocks.append({"type": "gallery", "gallery": {"imageList": [image]}})
        else:
            blocks.append({"type": "table", "table": {"rows": 2}})
    return {"blocks": blocks}
