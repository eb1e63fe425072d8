"""Hypothesis strategies for OKR content, on the wire (JSON) and as model trees.

``wire_content()`` draws ``content_block`` JSON the way servers may send it: every block,
element and list kind, levels 1..16 with jumps, odd numbering, every style, colours with
any alpha, text full of newlines and Markdown/HTML syntax, awkward URLs, and (unless
``unknown=False``) undocumented keys at every level and unknown block/element types.
``contents()`` is the same, loaded into the model; converter round trips draw from it.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any, NamedTuple

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

RESERVED = frozenset(
    {"code", "data", "msg", "content", "progress_id", "modify_time", "progress_rate"}
    # the keys that tell an OKR entity (codec.load_okr), and a get answer's wrappers
    | {"objective_id", "cycle_id", "notes", "category_id", "tenant_cycle_id", "start_time"}
    | {"end_time", "cycle_status", "entity_type", "entity_id"}
    | {"cycle", "objective", "key_result", "progress"}
)
"""Keys that tell a record or an OKR entity from content (``load_content`` refuses those):
never drawn as unknown keys."""


class Wire(NamedTuple):
    """The wire names of one spelling (``okrcontent.dialects`` says the same as tables)."""

    block_tag: str
    element_tag: str
    text_run: tuple[str, str]  # the element's type, the key of its payload
    docs_link: tuple[str, str]
    mention: tuple[str, str]
    mention_ids: tuple[str, ...]  # open id, then any other
    strike: str
    text_color: str
    back_color: str
    list_type: str
    level: str
    levels: tuple[int, int]
    images: str
    file_token: str
    record_id: str
    record_time: str
    percent: str
    status: str


WIRES = {
    "v1": Wire(
        "type",
        "type",
        ("textRun", "textRun"),
        ("docsLink", "docsLink"),
        ("person", "person"),
        ("openId", "userId"),
        "strikeThrough",
        "textColor",
        "backColor",
        "type",
        "indentLevel",
        (1, 16),
        "imageList",
        "fileToken",
        "progress_id",
        "modify_time",
        "percent",
        "status",
    ),
    "v2": Wire(
        "block_element_type",
        "paragraph_element_type",
        ("textRun", "text_run"),
        ("docsLink", "docs_link"),
        ("mention", "mention"),
        ("user_id",),
        "strike_through",
        "text_color",
        "back_color",
        "list_type",
        "indent_level",
        (0, 15),
        "images",
        "file_token",
        "id",
        "update_time",
        "progress_percent",
        "progress_status",
    ),
}
"""The two spellings the strategies draw (``dialect="v1"`` or ``"v2"``)."""

WIRE_KEYS = frozenset(
    key
    for wire in WIRES.values()
    for value in wire
    for key in (value if isinstance(value, tuple) else (value,))
    if isinstance(key, str)
)
"""Every key either spelling gives a meaning: an unknown key is never one of them (in the
other spelling, it would make the document mixed)."""

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
        st.text(min_size=1, max_size=6).filter(
            lambda k: k not in known and k not in RESERVED and k not in WIRE_KEYS
        ),
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


def text_styles(unknown: bool = True, dialect: str = "v1") -> st.SearchStrategy[JsonDict]:
    wire = WIRES[dialect]
    fields = {
        "bold": st.booleans(),
        wire.strike: st.booleans(),
        wire.text_color: colors(unknown),
        wire.back_color: colors(unknown),
        "link": _object(unknown, url=urls),
    }
    return _object(unknown, **fields)


def _tagged(
    tag_key: str,
    tag: str,
    payload_key: str,
    payload: st.SearchStrategy[JsonDict],
    unknown: bool,
) -> st.SearchStrategy[JsonDict]:
    base = payload.map(lambda p: {tag_key: tag, payload_key: p})
    return _with_unknown(base, {tag_key, payload_key}, unknown)


def elements(unknown: bool = True, dialect: str = "v1") -> st.SearchStrategy[JsonDict]:
    wire = WIRES[dialect]
    run = _object(unknown, text=text, style=text_styles(unknown, dialect))
    docs = _object(unknown, url=urls, title=text)
    ids = [
        st.from_regex(r"ou_[0-9a-f]{8}", fullmatch=True),
        st.from_regex(r"[0-9]{6}", fullmatch=True),
    ]
    person = _object(
        unknown, **dict(zip(wire.mention_ids, ids[: len(wire.mention_ids)], strict=True))
    )
    tag = wire.element_tag
    kinds = [
        _tagged(tag, *wire.text_run, run, unknown),
        _tagged(tag, *wire.text_run, run, unknown),
        _tagged(tag, *wire.docs_link, docs, unknown),
        _tagged(tag, *wire.mention, person, unknown),
    ]
    if unknown:
        kinds.append(st.builds(lambda v: {tag: "sticker", "sticker": v}, json_value))
    return st.one_of(kinds)


LIST_KINDS = ["number", "bullet", "checkBox", "checkedBox", "indent"]


def list_styles(unknown: bool = True, dialect: str = "v1") -> st.SearchStrategy[JsonDict]:
    wire = WIRES[dialect]
    base = st.fixed_dictionaries(
        {wire.list_type: st.sampled_from(LIST_KINDS)},
        optional={
            wire.level: st.integers(*wire.levels),
            "number": st.one_of(
                st.integers(1, 12),
                st.sampled_from([0, 999_999_998, 999_999_999]),  # the edges (issue 13)
                st.integers(0, 999_999_999),
            ),
        },
    )
    return _with_unknown(base, {wire.list_type, wire.level, "number"}, unknown)


def blocks(unknown: bool = True, dialect: str = "v1") -> st.SearchStrategy[JsonDict]:
    wire = WIRES[dialect]
    paragraph = _object(
        unknown,
        style=_object(unknown, list=list_styles(unknown, dialect)),
        elements=st.lists(elements(unknown, dialect), max_size=5),
    )
    size = st.floats(0, 4000, allow_nan=False) | st.integers(0, 4000)
    image = _object(
        unknown,
        **{wire.file_token: st.from_regex(r"boxcn[0-9a-zA-Z]{6}", fullmatch=True)},
        src=urls,
        width=size,
        height=size,
    )
    gallery = _object(unknown, **{wire.images: st.lists(image, max_size=3)})
    tag = wire.block_tag
    kinds = [_tagged(tag, "paragraph", "paragraph", paragraph, unknown)] * 4
    kinds.append(_tagged(tag, "gallery", "gallery", gallery, unknown))
    if unknown:
        kinds.append(st.builds(lambda v: {tag: "table", "table": v, "rows": 2}, json_value))
    return st.one_of(kinds)


def wire_content(
    unknown: bool = True, max_blocks: int = 12, dialect: str = "v1"
) -> st.SearchStrategy[JsonDict]:
    """``content_block`` JSON, in ``dialect``'s spelling."""
    return _object(unknown, blocks=st.lists(blocks(unknown, dialect), max_size=max_blocks))


def _id_or_number(digits: int) -> st.SearchStrategy[Any]:
    """A v2 id or time: digits as a string (the Go SDK, the CLI) or an integer (the Python SDK)."""
    as_text = st.from_regex(f"[1-9][0-9]{{{digits - 1}}}", fullmatch=True)
    return st.one_of(as_text, as_text.map(int))


def owners(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    return _object(
        unknown,
        owner_type=st.sampled_from(["user", "department"]),
        user_id=st.from_regex(r"ou_[0-9a-f]{8}", fullmatch=True),
    )


def wire_records(unknown: bool = True, dialect: str = "v1") -> st.SearchStrategy[JsonDict]:
    """A bare progress record as JSON: v1's, or an item of a v2 progress list."""
    wire = WIRES[dialect]
    rate = _object(
        unknown,
        **{
            wire.percent: st.floats(0, 100).map(lambda p: round(p, 2)),
            wire.status: st.sampled_from([-1, 0, 1, 2]),
        },
    )
    fields: dict[str, st.SearchStrategy[Any]] = {
        "content": wire_content(unknown, dialect=dialect),
        "progress_rate": rate,
    }
    if dialect == "v1":
        fields["progress_id"] = st.from_regex(r"[0-9]{19}", fullmatch=True)
        fields["modify_time"] = st.from_regex(r"[0-9]{13}", fullmatch=True)
        return _object(unknown, **fields)
    fields.update(
        create_time=_id_or_number(13),
        owner=owners(unknown),
        entity_type=st.sampled_from([2, 3]),
        entity_id=_id_or_number(19),
    )
    # a v2 item always has its id: without one it could not be told from v1
    base = _object(unknown, **fields)
    return st.builds(
        lambda d, i, t: {"id": i, **d, "update_time": t}, base, _id_or_number(19), _id_or_number(13)
    )


def _entity(unknown: bool, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[JsonDict]:
    """A v2 entity: an id, times and an owner, and ``fields``."""
    return _object(
        unknown,
        id=_id_or_number(19),
        create_time=_id_or_number(13),
        update_time=_id_or_number(13),
        owner=owners(unknown),
        **fields,
    )


def _goal(unknown: bool, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[JsonDict]:
    """What a v2 objective and a key result have alike, and ``fields``."""
    return _entity(
        unknown,
        position=st.integers(0, 100),
        content=wire_content(unknown, max_blocks=4, dialect="v2"),
        score=st.sampled_from([0, 0.5, 1, 0.7]),
        weight=st.floats(0, 1),
        deadline=_id_or_number(13),
        **fields,
    )


def _with(key: str, base: st.SearchStrategy[JsonDict]) -> st.SearchStrategy[JsonDict]:
    """``base`` always with ``key`` (an id), the key that tells its kind apart."""
    return st.builds(lambda d, i: {**d, key: i}, base, _id_or_number(19))


def wire_objectives(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    """A v2 objective as JSON."""
    notes = wire_content(unknown, max_blocks=4, dialect="v2")
    return _with("cycle_id", _goal(unknown, notes=notes, category_id=_id_or_number(19)))


def wire_key_results(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    """A v2 key result as JSON."""
    return _with("objective_id", _goal(unknown))


def wire_cycles(unknown: bool = True) -> st.SearchStrategy[JsonDict]:
    """A v2 user cycle as JSON."""
    cycle = _entity(
        unknown,
        start_time=_id_or_number(13),
        end_time=_id_or_number(13),
        cycle_status=st.sampled_from([0, 1, 2, 3]),
        score=st.floats(0, 1),
    )
    return _with("tenant_cycle_id", cycle)


def contents(unknown: bool = True, dialect: str = "v1") -> st.SearchStrategy[Content]:
    """Model trees, as loaded from :func:`wire_content`."""
    return wire_content(unknown, dialect=dialect).map(okrcontent.load_content)


# --- hostile input: valid documents, then broken in a few places ----------------------------

HOSTILE_VALUES = [
    None,
    True,
    0,
    -1,
    1.5,
    10**400,  # an integer no float holds
    -(10**5000),  # an integer Python will not print
    2**64,
    float("nan"),
    float("-inf"),
    "",
    "\ud800",  # a lone surrogate
    "\ufeff{",
    "9" * 5000,
    [],
    {},
    [None],
    {"\udc00": 1},
    {"type": "textRun"},
    {"type": "paragraph", "paragraph": None},
]
"""Values that do not belong where the mutation puts them: wrong types, numbers no float
holds, surrogates, payload-less wrappers."""

hostile = st.one_of(
    # by index, and copied: a drawn value may be mutated later, and its repr may be huge
    st.sampled_from(range(len(HOSTILE_VALUES))).map(lambda i: copy.deepcopy(HOSTILE_VALUES[i])),
    json_value,
)


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key or index) of a JSON document, iteratively."""
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            yield node, key
            if isinstance(child, (dict, list)):
                stack.append(child)


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[JsonDict]) -> Any:
    """A document from ``documents`` with one to three places broken: a value replaced by a
    :data:`hostile` one, a key deleted, or an odd key added."""
    document: Any = copy.deepcopy(draw(documents))
    for _ in range(draw(st.integers(1, 3))):
        slots = list(_slots(document))
        if not slots:
            return draw(hostile)
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(hostile)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["\ud800", "", "type", "__proto__", "1"]))] = draw(
                hostile
            )
    return document


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
