"""The list mechanism on its own: flat lines -> tree -> flat lines, case by case.

Lines are written ``(text, kind, level, number)`` (``kind`` ``None`` for a line outside any
list); trees as shapes: ``("ul", [...items])``/``("ol", [...])`` for lists, an item as its
text (``"#3 text"`` ordered, ``"[ ] text"``/``"[x] text"`` tasks, ``"_"`` a filler) or
``(item, [children])``, ``"> text"`` an indent line one level down (``">> text"``: two),
``"p text"`` a line outside lists.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrcontent import ListKind, ListStyle, nesting
from okrcontent.losses import Loss, Losses
from okrcontent.nesting import (
    Indented,
    Item,
    LineBuilder,
    ListBlock,
    Node,
    Plain,
    build,
    flatten,
    following,
    shown_numbers,
)

Line = tuple[str, "str | None", int, "int | None"]


def _lines(spec: list[Line]) -> list[tuple[str, ListStyle | None]]:
    return [
        (text, None if kind is None else ListStyle(kind, level, number))
        for text, kind, level, number in spec
    ]


def _label(item: Item[str]) -> str:
    if item.content is None:
        return "_"
    prefix = {
        ListKind.NUMBER: f"#{item.number} ",
        ListKind.CHECKBOX: "[ ] ",
        ListKind.CHECKED: "[x] ",
    }.get(item.kind, "")
    return prefix + item.content


def shape(nodes: tuple[Node[str], ...]) -> list[Any]:
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, Plain):
            out.append(f"p {node.content}")
        elif isinstance(node, Indented):
            out.append(">" * node.depth + " " + node.content)
        else:
            assert isinstance(node, ListBlock)
            items = [
                (_label(i), shape(i.children)) if i.children else _label(i) for i in node.items
            ]
            out.append(("ol" if node.ordered else "ul", items))
    return out


def _fillers(count: int, inner: list[Any]) -> list[Any]:
    for _ in range(count):
        inner = [("ul", [("_", inner)])]
    return inner


CASES: list[tuple[str, list[Line], list[Any]]] = [
    (
        "a simple bullet list",
        [("a", "bullet", 1, None), ("b", "bullet", 1, None)],
        [("ul", ["a", "b"])],
    ),
    (
        "nesting by level",
        [("a", "bullet", 1, None), ("b", "bullet", 2, None), ("c", "bullet", 1, None)],
        [("ul", [("a", [("ul", ["b"])]), "c"])],
    ),
    (
        "a jump from level 1 to 3 gets a filler at level 2",
        [("a", "bullet", 1, None), ("c", "bullet", 3, None)],
        [("ul", [("a", [("ul", [("_", [("ul", ["c"])])])])])],
    ),
    (
        "a first line at level 2",
        [("b", "bullet", 2, None), ("a", "bullet", 1, None)],
        [("ul", [("_", [("ul", ["b"])]), "a"])],
    ),
    (
        "level 16: fifteen fillers above the line",
        [("deep", "bullet", 16, None)],
        _fillers(15, [("ul", ["deep"])]),
    ),
    (
        "kinds changing at one level: ordered and unordered never share a list",
        [
            ("n", "number", 1, 1),
            ("b", "bullet", 1, None),
            ("t", "checkBox", 1, None),
            ("d", "checkedBox", 1, None),
            ("m", "number", 1, 1),
        ],
        [("ol", ["#1 n"]), ("ul", ["b", "[ ] t", "[x] d"]), ("ol", ["#1 m"])],
    ),
    (
        "consecutive numbers share a list",
        [("a", "number", 1, 1), ("b", "number", 1, 2), ("c", "number", 1, 3)],
        [("ol", ["#1 a", "#2 b", "#3 c"])],
    ),
    (
        "a list that starts at 5",
        [("e", "number", 1, 5), ("f", "number", 1, 6)],
        [("ol", ["#5 e", "#6 f"])],
    ),
    (
        "a skipped number starts a new list",
        [("a", "number", 1, 1), ("b", "number", 1, 2), ("e", "number", 1, 5)],
        [("ol", ["#1 a", "#2 b"]), ("ol", ["#5 e"])],
    ),
    (
        "a restarted number starts a new list",
        [("a", "number", 1, 1), ("b", "number", 1, 2), ("a2", "number", 1, 1)],
        [("ol", ["#1 a", "#2 b"]), ("ol", ["#1 a2"])],
    ),
    (
        "ordered lines without numbers count on from the last one at their level",
        [("a", "number", 1, None), ("x", "number", 2, None), ("b", "number", 1, None)],
        [("ol", [("#1 a", [("ol", ["#1 x"])]), "#2 b"])],
    ),
    (
        "numbers restart per level",
        [
            ("a", "number", 1, 1),
            ("a1", "number", 2, 1),
            ("a2", "number", 2, 2),
            ("b", "number", 1, 2),
            ("b1", "number", 2, 1),
        ],
        [("ol", [("#1 a", [("ol", ["#1 a1", "#2 a2"])]), ("#2 b", [("ol", ["#1 b1"])])])],
    ),
    (
        "an indent line under an item, and the list goes on",
        [("a", "number", 1, 1), ("note", "indent", 2, None), ("b", "number", 1, 2)],
        [("ol", [("#1 a", ["> note"]), "#2 b"])],
    ),
    (
        "an indent line at the item's own level ends the list",
        [("a", "bullet", 1, None), ("note", "indent", 1, None), ("b", "bullet", 1, None)],
        [("ul", ["a"]), "> note", ("ul", ["b"])],
    ),
    (
        "indent lines deeper than the item under them",
        [("a", "bullet", 1, None), ("deep", "indent", 3, None)],
        [("ul", [("a", [">> deep"])])],
    ),
    (
        "indent lines outside lists",
        [("one", "indent", 1, None), ("two", "indent", 2, None)],
        ["> one", ">> two"],
    ),
    (
        "an ordinary paragraph ends the list",
        [("a", "bullet", 1, None), ("p", None, 1, None), ("b", "bullet", 1, None)],
        [("ul", ["a"]), "p p", ("ul", ["b"])],
    ),
    (
        "a list after a deep line comes back up",
        [
            ("a", "bullet", 1, None),
            ("b", "bullet", 2, None),
            ("c", "bullet", 3, None),
            ("d", "bullet", 1, None),
        ],
        [("ul", [("a", [("ul", [("b", [("ul", ["c"])])])]), "d"])],
    ),
]


@pytest.mark.parametrize(("title", "lines", "expected"), CASES, ids=[c[0] for c in CASES])
def test_build(title: str, lines: list[Line], expected: list[Any]) -> None:
    assert shape(build(_lines(lines))) == expected


@pytest.mark.parametrize(("title", "lines", "expected"), CASES, ids=[c[0] for c in CASES])
def test_flatten_gives_the_lines_back(title: str, lines: list[Line], expected: list[Any]) -> None:
    flat = flatten(build(_lines(lines)))
    assert [text for text, _ in flat] == [text for text, *_ in lines]
    for (_, kind, level, number), (_, style) in zip(lines, flat, strict=True):
        if kind is None:
            assert style is None
        else:
            assert style is not None
            assert (style.kind.value, style.level) == (kind, level)
            if number is not None:
                assert style.number == number


def test_flatten_clamps_deeper_lines_and_says_so() -> None:
    tree: tuple[Node[str], ...] = (Indented("deep", 20),)
    seen: list[int] = []
    assert flatten(tree, on_clamp=seen.append) == [("deep", ListStyle("indent", 16))]
    assert seen == [20]


line_specs = st.lists(
    st.one_of(
        st.tuples(st.just(None), st.just(1), st.none()),
        st.tuples(
            st.sampled_from(["bullet", "checkBox", "checkedBox", "indent"]),
            st.integers(1, 16),
            st.none(),
        ),
        st.tuples(st.just("number"), st.integers(1, 16), st.one_of(st.none(), st.integers(0, 9))),
    ),
    max_size=30,
)


@given(line_specs)
def test_any_lines_round_trip(specs: list[tuple[str | None, int, int | None]]) -> None:
    lines = _lines([(str(i), kind, level, number) for i, (kind, level, number) in enumerate(specs)])
    flat = flatten(build(lines))
    assert [text for text, _ in flat] == [text for text, _ in lines]
    for (_, before), (_, after) in zip(lines, flat, strict=True):
        assert (before is None) == (after is None)
        if before is not None and after is not None:
            assert (before.kind, before.level) == (after.kind, after.level)
            if before.number is not None and before.kind is ListKind.NUMBER:
                assert after.number == before.number


def _numbers_by_definition(styles: list[ListStyle | None]) -> list[int | None]:
    """The number each line shows, read off the lines before it: an ordered line's own
    number, else one after the last ordered line at its level with no shallower line (nor a
    line outside lists) since, else 1."""
    shown: list[int | None] = []
    for index, style in enumerate(styles):
        number = None
        if style is not None and style.kind is ListKind.NUMBER:
            number = style.number
            if number is None:
                number = 1
                for before, previous in zip(reversed(styles[:index]), reversed(shown), strict=True):
                    if before is None or before.level < style.level:
                        break
                    if before.level == style.level:
                        if previous is not None:
                            number = following(previous)
                        break
        shown.append(number)
    return shown


@given(line_specs)
def test_shown_numbers_follow_their_definition(
    specs: list[tuple[str | None, int, int | None]],
) -> None:
    styles = [style for _, style in _lines([("", *spec) for spec in specs])]
    assert list(shown_numbers(styles)) == _numbers_by_definition(styles)


@given(line_specs)
def test_events_open_and_close_in_order(specs: list[tuple[str | None, int, int | None]]) -> None:
    lines = _lines([(str(i), *spec) for i, spec in enumerate(specs)])
    numbered = [
        (c, s, n) for (c, s), n in zip(lines, shown_numbers(s for _, s in lines), strict=True)
    ]
    open_: list[int] = []  # what is open, innermost last
    payloads = []
    for kind, content, _, _ in nesting.events(numbered):
        if kind in (nesting.OPEN_LIST, nesting.OPEN_ITEM):
            inside = nesting.OPEN_LIST if kind == nesting.OPEN_ITEM else nesting.OPEN_ITEM
            assert (open_[-1] if open_ else nesting.OPEN_ITEM) == inside  # lists hold items
            open_.append(kind)
        elif kind == nesting.CLOSE_LIST:
            assert open_.pop() == nesting.OPEN_LIST
        elif kind == nesting.CLOSE_ITEM:
            assert open_.pop() == nesting.OPEN_ITEM
        elif kind == nesting.PLAIN:
            assert not open_
        if content is not None:
            payloads.append(content)
    assert not open_
    assert payloads == [text for text, _ in lines]  # every line once, in order


# --- LineBuilder: nested markup -> lines, whatever the walk ---------------------------------


def _built(calls: str) -> tuple[list[tuple[str, str | None, int, int | None]], set[Loss]]:
    """Run a walk written as words (``ul ol li /li /ul /ol q /q t:text task filler``) and
    give its lines as ``(text, kind, level, number)`` and the losses it reported."""
    losses = Losses()
    builder: LineBuilder[str] = LineBuilder("", losses)
    for word in calls.split():
        if word.startswith("t:"):
            builder.add(word[2:])
        elif word.startswith("ol"):
            builder.open_list(True, int(word[3:]) if word[2:] else 1)
        elif word.startswith("li="):
            builder.open_item(int(word[3:]))
        else:
            CALLS[word](builder)
    lines: list[tuple[str, str | None, int, int | None]] = [
        (text, None, 0, None)
        if style is None
        else (text, style.kind.value, style.level, style.number)
        for text, style in builder.result()
    ]
    return lines, set(losses)


CALLS = {
    "ul": lambda b: b.open_list(False),
    "/ul": LineBuilder.close_list,
    "/ol": LineBuilder.close_list,
    "li": lambda b: b.open_item(),
    "/li": LineBuilder.close_item,
    "q": lambda b: b.open_indent(),
    "/q": LineBuilder.close_indent,
    "task": lambda b: b.set_task(False),
    "filler": LineBuilder.set_filler,
}

BUILDER_CASES = [
    ("an item with its text", "ul li t:a /li /ul", [("a", "bullet", 1, None)], set()),
    ("an item outside any list keeps its text", "li t:a /li", [("a", "bullet", 1, None)], set()),
    (
        "an item directly in an item ends it",
        "ul li t:a li t:b /li /li /ul",
        [("a", "bullet", 1, None), ("b", "bullet", 1, None)],
        set(),
    ),
    (
        "a second paragraph in an item is indented under it",
        "ol li t:a t:more /li /ol",
        [("a", "number", 1, 1), ("more", "indent", 2, None)],
        set(),
    ),
    ("an item without text is an empty line", "ul li /li /ul", [("", "bullet", 1, None)], set()),
    ("a filler has no line", "ul li filler ul li t:x", [("x", "bullet", 2, None)], set()),
    ("a task", "ul li task t:x", [("x", "checkBox", 1, None)], set()),
    (
        "a list directly in a list is one level deeper",
        "ul li t:a /li ul li t:b /li /ul li t:c /li /ul",
        [("a", "bullet", 1, None), ("b", "bullet", 2, None), ("c", "bullet", 1, None)],
        set(),
    ),
    (
        "a list in a quote is one level deeper, reported",
        "q ul li t:a /li /ul /q",
        [("a", "bullet", 2, None)],
        {Loss.QUOTED_LIST},
    ),
    (
        "closes without opens do nothing",
        "/li /ul /q /ol t:a",
        [("a", None, 0, None)],
        set(),
    ),
    (
        "closing a list closes what is open inside it",
        "ul li q t:a /ul t:b",
        [("", "bullet", 1, None), ("a", "indent", 2, None), ("b", None, 0, None)],
        set(),
    ),
    (
        "what is left open is closed",
        "ol li ul li",
        [("", "number", 1, 1), ("", "bullet", 2, None)],
        set(),
    ),
    (
        "a negative start is 0, reported",
        "ol=-5 li t:a",
        [("a", "number", 1, 0)],
        {Loss.NUMBER_OUT_OF_RANGE},
    ),
    (
        "a value past the largest number is the largest, and the next restarts at 1",
        "ol li=2000000000 t:a /li li t:b",
        [("a", "number", 1, 999_999_999), ("b", "number", 1, 1)],
        {Loss.NUMBER_OUT_OF_RANGE, Loss.NUMBERS_RESTARTED},
    ),
]


@pytest.mark.parametrize(
    ("title", "calls", "lines", "losses"), BUILDER_CASES, ids=[c[0] for c in BUILDER_CASES]
)
def test_line_builder(
    title: str, calls: str, lines: list[tuple[str, str | None, int, int | None]], losses: set[Loss]
) -> None:
    assert _built(calls) == (lines, losses)


def test_a_thousand_nested_lists_stay_at_level_16_without_recursion() -> None:
    lines, losses = _built("ul li t:x " * 1000)
    assert [level for _, _, level, _ in lines] == [*range(1, 17), *[16] * 984]
    assert losses == {Loss.TOO_DEEP}


@given(
    st.lists(
        st.one_of(
            st.sampled_from(sorted(CALLS)),
            st.integers(-5, 10).map(lambda n: f"li={n}"),
            st.integers(-5, 10).map(lambda n: f"ol={n}"),
            st.just("t:"),
        ),
        max_size=40,
    )
)
def test_any_walk_gives_every_line_once_in_order(words: list[str]) -> None:
    """No sequence of calls can break the builder: every line added comes out, once, in
    order, at a level the format holds."""
    calls = " ".join(f"t:{i}" if w == "t:" else w for i, w in enumerate(words))
    lines, _ = _built(calls)
    texts = [text for text, _, _, _ in lines if text]
    assert texts == [w[2:] for w in calls.split() if w.startswith("t:")]
    assert all(1 <= level <= 16 for _, kind, level, _ in lines if kind is not None)
