"""Hypothesis strategies for OKR content, on the wire (JSON) and as model trees.

``wire_content()`` draws ``content_block`` JSON the way servers may send it: every block,
element and list kind, levels 1..16 with jumps, odd numbering, every style, colours with
any alpha, text full of newlines and Markdown/HTML syntax, awkward URLs, and (unless
``unknown=False``) undocumented keys at every level and unknown block/element types.
``contents()`` is the same, loaded into the model; converter round trips draw from it.
"""

from __future__ import annotations

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


# --- markup-ish text, for the readers' "any string" tests -------------------------------------

TAGS = (
    "b strong i em u s del strike mark font span a img br p div li ul ol blockquote pre code "
    "h1 h3 table tr td th input sub hr script style template svg head title o:p blink"
).split()
ATTRIBUTES = [
    "style",
    "color",
    "href",
    "src",
    "width",
    "start",
    "value",
    "type",
    "class",
    "hidden",
    "checked",
    "data-okr-mention",
    "data-okr-user",
    "data-okr-doc",
    "data-okr-href",
    "data-okr-indent",
    "data-okr-token",
    "id",
]
CSS = [
    "color: red",
    "color:#000",
    "color: rgb(0,1e310,0)",
    "color: hsl(1e400turn, 50%, 50%)",
    "font-weight:normal",
    "font-weight: 700",
    "text-decoration: underline line-through",
    "display:none",
    "white-space:pre-wrap",
    "list-style-type:disc",
    "list-style-type: decimal",
    "margin-left:" + "9" * 400 + "px",
    "margin-left: 80px",
    "padding-left: -40px",
    "mso-list:l0 level" + "9" * 50 + " lfo1",
    "mso-list: l0 level2 lfo1",
    "mso-list:Ignore",
    'font-family:"a;b"',
    "background: url('x;y') red",
    "/*",
    ";",
    "!important",
]
VALUES = [
    "",
    "1",
    "--1",
    "-3",
    "²",
    "9" * 30,
    "checkbox",
    "okr-skip",
    "x",
    "https://a.test",
    "&amp;",
]
ENTITIES = ["&amp;", "&lt;", "&#x4e2d;", "&#99999999;", "&#0;", "&bogus;", "&nbsp;"]
DECLARATIONS = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!DOCTYPE x [<!ENTITY a "b">]>',
    "<!DOCTYPE html>",
    "<![CDATA[x]]>",
    "<!--",
    "-->",
    "<![if !supportLists]>",
    "<![endif]>",
]


def _attribute(name: str, value: str) -> str:
    return f' {name}="{value}"' if name != "style" else f" style='{value}'"


def _tag(name: str, attributes: list[tuple[str, str]], closing: bool) -> str:
    if closing:
        return f"</{name}>"
    return "<" + name + "".join(_attribute(k, v) for k, v in attributes) + ">"


markup_tags = st.builds(
    _tag,
    st.sampled_from(TAGS),
    st.lists(
        st.tuples(
            st.sampled_from(ATTRIBUTES),
            st.one_of(
                st.sampled_from(VALUES), st.lists(st.sampled_from(CSS), max_size=3).map("; ".join)
            ),
        ),
        max_size=3,
    ),
    st.booleans(),
)


def markup() -> st.SearchStrategy[str]:
    """Text built from tags with attributes and CSS, entities, declarations, Markdown syntax
    and awkward characters: what the readers must survive."""
    fragment = st.one_of(
        markup_tags,
        st.sampled_from(ENTITIES + DECLARATIONS + SYNTAX),
        st.text(max_size=4),
        st.sampled_from(["\ud800", "\x00", "\x0c", "\r", "\ufeff"]),
    )
    return st.lists(fragment, max_size=30).map("".join)
