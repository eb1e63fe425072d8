"""Flat list lines <-> a tree of lists: the only place that knows about list depth.

The wire format is flat: every line carries its own list kind, ``indentLevel`` and
``number``. Markdown and HTML lists are trees. :func:`events` walks the tree of a sequence
of lines without building it (lists and items opening and closing, in one pass: what a
writer that writes as it goes needs), :func:`tree` builds the tree of those events and
:func:`build` the tree of lines, and :func:`flatten` turns a tree back into lines, so that
``flatten(build(lines))`` gives the lines back (with levels and numbers made explicit, as
:func:`okrcontent.normalize` has them). Readers walk nested markup: :class:`LineBuilder`
turns their walk into the same lines directly.

The tree, for a payload type ``P`` (a writer's paragraphs, a reader's parsed inline content):

- :class:`Plain`: a line outside any list (a paragraph without list style, a gallery).
- :class:`ListBlock`: one list (``<ul>``/``<ol>``) of :class:`Item` s at one depth. Ordered
  and unordered lines never share a list; an ordered list holds consecutive numbers only,
  so a record that skips or restarts numbers gets a new list, which shows them as they are.
- :class:`Item`: a list line with the lists and indented lines nested under it. A *filler*
  item (``content is None``) stands for a level the record skips (a line at level 3 under
  one at level 1, or a first line at level 2); it has no line of its own.
- :class:`Indented`: an ``indent`` line (indented, no marker), ``depth`` levels deeper than
  the item it belongs to (or than the margin, outside lists).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeAlias, TypeVar, cast

import attrs

from .losses import Loss, Losses
from .model import BOUNDS, ListKind, ListStyle

__all__ = [
    "CLOSE_ITEM",
    "CLOSE_LIST",
    "INDENTED",
    "MAX_LEVEL",
    "MAX_NUMBER",
    "OPEN_ITEM",
    "OPEN_LIST",
    "PLAIN",
    "Event",
    "Indented",
    "Item",
    "LineBuilder",
    "ListBlock",
    "Node",
    "Numbering",
    "Plain",
    "build",
    "events",
    "flatten",
    "following",
    "shown_numbers",
    "tree",
]

P = TypeVar("P")


@attrs.frozen
class Plain(Generic[P]):
    """A line outside any list."""

    content: P


@attrs.frozen
class Indented(Generic[P]):
    """An ``indent`` line, ``depth`` levels below its container."""

    content: P
    depth: int


@attrs.frozen
class Item(Generic[P]):
    """A list line (``content`` ``None``: a filler for a skipped level) and what nests under it."""

    content: P | None
    kind: ListKind
    number: int | None = None
    children: tuple[Node[P], ...] = ()


@attrs.frozen
class ListBlock(Generic[P]):
    """One list: all ordered (consecutive numbers) or all unordered."""

    ordered: bool
    items: tuple[Item[P], ...]

    @property
    def start(self) -> int | None:
        """The number of the first item of an ordered list."""
        return self.items[0].number if self.ordered else None


Node: TypeAlias = "Plain[P] | Indented[P] | ListBlock[P]"
"""What a container (the document, or an item) holds."""


MAX_NUMBER: int = attrs.fields(ListStyle).number.metadata[BOUNDS][1]
"""The largest line number the format holds (CommonMark's nine digits)."""


def following(number: int) -> int:
    """The number after ``number`` in a list; past :data:`MAX_NUMBER` numbering starts
    again at 1 (the format has no larger number to show)."""
    return number + 1 if number < MAX_NUMBER else 1


def shown_numbers(styles: Iterable[ListStyle | None]) -> Iterator[int | None]:
    """The number each line shows: its own ``number``, or for an ordered line without one,
    the previous ordered number at its level plus one (:func:`following`; 1 after anything
    else)."""
    shown = Numbering().shown
    for style in styles:
        yield shown(style)


class Numbering:
    """:func:`shown_numbers` a line at a time: ``shown(style)`` is the number the next line
    shows, for a pass that walks the lines for more than their numbers."""

    __slots__ = ("_last", "_level")

    def __init__(self) -> None:
        self._last: dict[int, int | None] = {}  # level -> the last number shown there
        self._level = 0  # the previous line's level: no level in _last is deeper

    def shown(self, style: ListStyle | None) -> int | None:
        """The number a line of ``style`` shows (``None``: no number)."""
        last = self._last
        if style is None:
            last.clear()
            self._level = 0
            return None
        level = style.indent_level or 1
        if level < self._level:  # the deeper levels end (they are at most the previous one)
            for deeper in range(level + 1, self._level + 1):
                last.pop(deeper, None)
        self._level = level
        number = None
        if style.kind is ListKind.NUMBER:
            number = style.number
            if number is None:
                previous = last.get(level)
                number = 1 if previous is None else following(previous)
        last[level] = number
        return number


# --- events: flat lines -> lists and items opening and closing -------------------------------

OPEN_LIST, CLOSE_LIST, OPEN_ITEM, CLOSE_ITEM, PLAIN, INDENTED = range(6)
"""The kinds of :data:`Event`."""

Event: TypeAlias = "tuple[int, Any, Any, int | None]"
"""``(kind, content, arg, number)``, by kind:

- ``OPEN_LIST``: ``arg`` is the list's ``ordered``, ``number`` its start (``None``: unordered);
- ``OPEN_ITEM``: an item's ``content`` (``None``: a filler), its :class:`ListKind` as ``arg``
  and its ``number``; what follows until its ``CLOSE_ITEM`` nests under it;
- ``CLOSE_ITEM``, ``CLOSE_LIST``: the innermost open one ends (the rest is ``None``);
- ``PLAIN``: a line outside lists (at the document's top); ``INDENTED``: an ``indent`` line,
  ``number`` levels below its container.
"""

_CLOSE_LIST: Event = (CLOSE_LIST, None, None, None)
_CLOSE_ITEM: Event = (CLOSE_ITEM, None, None, None)


def events(lines: Iterable[tuple[P, ListStyle | None, int | None]]) -> Iterator[Event]:
    """The tree of ``lines`` (payload, list style, number shown) as the events of a walk
    over it, in one pass and without building it: :func:`build` is made of these, and a
    writer that writes as it goes needs no tree. Every opened list and item is closed."""
    levels: list[int] = []  # the open items' levels, shallowest first (strictly increasing)
    lists: list[list[Any] | None] = [None]  # a container's open list: [ordered, last number]
    for content, style, number in lines:
        level = 0 if style is None else style.indent_level or 1
        while levels and levels[-1] >= level:  # the items this line is not inside end
            levels.pop()
            if lists.pop() is not None:
                yield _CLOSE_LIST
            yield _CLOSE_ITEM
        if style is None or style.kind is ListKind.INDENT:
            if lists[-1] is not None:  # a list followed by anything but an item ends
                lists[-1] = None
                yield _CLOSE_LIST
            if style is None:
                yield (PLAIN, content, None, None)
            else:
                yield (INDENTED, content, None, level - (levels[-1] if levels else 0))
            continue
        while True:  # a skipped level gets a filler item first
            top = levels[-1] if levels else 0
            if top < level - 1:
                item_level, item, kind, item_number = top + 1, None, ListKind.BULLET, None
            else:
                item_level, item, kind, item_number = level, content, style.kind, number
            ordered = kind is ListKind.NUMBER
            last = lists[-1]
            if (
                last is not None
                and last[0] is ordered
                and (not ordered or (last[1] is not None and item_number == last[1] + 1))
            ):  # the item continues the open list
                last[1] = item_number
            else:
                if last is not None:
                    yield _CLOSE_LIST
                lists[-1] = [ordered, item_number]
                yield (OPEN_LIST, None, ordered, item_number if ordered else None)
            levels.append(item_level)
            lists.append(None)
            yield (OPEN_ITEM, item, kind, item_number)
            if item_level == level:
                break
    while levels:
        levels.pop()
        if lists.pop() is not None:
            yield _CLOSE_LIST
        yield _CLOSE_ITEM
    if lists[-1] is not None:
        yield _CLOSE_LIST


# --- building: flat lines -> tree ------------------------------------------------------------


def build(
    lines: Sequence[tuple[P, ListStyle | None]], numbers: Iterable[int | None] | None = None
) -> tuple[Node[P], ...]:
    """The tree of ``lines`` (payload, list style); see the module docstring. ``numbers``
    are the numbers the lines show, if the caller has them (:func:`shown_numbers`)."""
    if numbers is None:
        numbers = shown_numbers(s for _, s in lines)
    return tree(events((c, s, n) for (c, s), n in zip(lines, numbers, strict=True)))


def tree(walk: Iterable[Event]) -> tuple[Node[P], ...]:
    """The tree that :func:`events` walks: ``tree(events(numbered_lines))``.

    Built bottom up, each node when it closes (so none is built twice, and nothing recurses
    however deep the input)."""
    containers: list[list[Node[P]]] = [[]]  # the document's nodes, then each open item's
    items: list[tuple[P | None, ListKind, int | None]] = []  # the open items
    lists: list[tuple[bool, list[Item[P]]]] = []  # the open lists, with their items so far
    for kind, content, arg, number in walk:
        if kind == OPEN_ITEM:
            items.append((content, arg, number))
            containers.append([])
        elif kind == CLOSE_ITEM:
            children = tuple(containers.pop())
            lists[-1][1].append(Item(*items.pop(), children))
        elif kind == OPEN_LIST:
            lists.append((arg, []))
        elif kind == CLOSE_LIST:
            ordered, list_items = lists.pop()
            containers[-1].append(ListBlock(ordered, tuple(list_items)))
        elif kind == PLAIN:
            containers[-1].append(Plain(content))
        else:
            containers[-1].append(Indented(content, cast(int, number)))
    return tuple(containers[0])


# --- flattening: tree -> flat lines ----------------------------------------------------------


MAX_LEVEL = 16
"""The deepest ``indentLevel`` the format has."""


def flatten(
    nodes: Iterable[Node[P]], level: int = 0, on_clamp: Callable[[int], None] | None = None
) -> list[tuple[P, ListStyle | None]]:
    """The lines of a tree: items at their depth, fillers dropped, numbers as shown.

    A line deeper than :data:`MAX_LEVEL` (a reader's input can nest deeper than the format)
    is kept at that level, and ``on_clamp`` is told its depth.
    """
    lines: list[tuple[P, ListStyle | None]] = []

    def clamp(depth: int) -> int:
        if depth > MAX_LEVEL and on_clamp is not None:
            on_clamp(depth)
        return min(depth, MAX_LEVEL)

    for node in nodes:
        if isinstance(node, Plain):
            lines.append((node.content, None))
        elif isinstance(node, Indented):
            lines.append((node.content, ListStyle(ListKind.INDENT, clamp(level + node.depth))))
        else:
            for item in node.items:
                if item.content is not None:
                    number = item.number if item.kind is ListKind.NUMBER else None
                    lines.append((item.content, ListStyle(item.kind, clamp(level + 1), number)))
                lines.extend(flatten(item.children, level + 1, on_clamp))
    return lines


# --- reading nested markup: what readers walk --------------------------------------------


class _ReadList:
    __slots__ = ("below", "last", "level", "next", "ordered")

    def __init__(self, ordered: bool, start: int, level: int, below: _Context) -> None:
        self.ordered, self.next, self.level, self.below = ordered, start, level, below
        self.last: int | None = None  # the number of the last item opened


class _ReadItem:
    __slots__ = ("below", "content", "filler", "kind", "level", "lines", "number")

    def __init__(self, kind: ListKind, number: int | None, level: int, below: _Context) -> None:
        self.kind, self.number, self.level, self.below = kind, number, level, below
        self.content: object = None
        self.filler = False
        self.lines = 0  # lines (and lists) added inside it so far


class _ReadIndent:
    __slots__ = ("below", "depth")

    def __init__(self, depth: int, below: _Context) -> None:
        self.depth, self.below = depth, below


_list_style = functools.lru_cache(maxsize=4096)(ListStyle)  # (immutable: one of each)

_Context: TypeAlias = "tuple[_ReadItem | None, int]"
"""Where a line goes: the innermost open item (``None``: the document) and the indentation
added inside it."""


class LineBuilder(Generic[P]):
    """The flat lines of a document whose lists and indentation are nested markup (Markdown,
    HTML): a reader opens and closes lists, items and indented blocks as it walks, and adds
    lines; :meth:`result` gives them with their list styles, as :func:`flatten` would.

    The first line added to an item (not inside an indented block of it) is the item's own
    line; later lines in it are indented one level under it, as a continuation paragraph
    shows; an item that gets no line has ``empty``. An indented block adds its depth to the
    lines inside it, and to the levels of lists inside it (a quoted list reads as a deeper
    one: reported). A list directly inside a list (as Google Docs writes nested lists) is one
    level deeper than it. Ordered items number on by :func:`following` unless an item gives
    its own number; numbers outside ``0..MAX_NUMBER`` are kept at the nearest.

    Any sequence of calls gives lines: an item outside a list opens a list for it, an item
    directly inside an item (nothing but inline markup between them) ends it, as browsers
    do; closing a container closes whatever is still open inside it, a close without its
    open does nothing, and :meth:`result` closes what is left. What the format
    cannot hold is reported to ``losses``. Every call costs constant time (amortised).
    """

    def __init__(self, empty: P, losses: Losses | None = None) -> None:
        self._empty = empty
        self._losses = losses if losses is not None else Losses()
        self._lines: list[tuple[P, ListStyle | None] | _ReadItem] = []
        self._stack: list[_ReadList | _ReadItem | _ReadIndent] = []
        self._open = {_ReadList: 0, _ReadItem: 0, _ReadIndent: 0}
        self._context: _Context = (None, 0)
        self._unnumbered = False  # a line awaits the number it shows

    # containers

    def _push(self, frame: _ReadList | _ReadItem | _ReadIndent) -> None:
        self._stack.append(frame)
        self._open[type(frame)] += 1

    def _close(self, kind: type[_ReadList | _ReadItem | _ReadIndent]) -> None:
        """Close the innermost open ``kind`` and everything open inside it."""
        if not self._open[kind]:
            return
        while True:
            frame = self._stack.pop()
            self._open[type(frame)] -= 1
            self._context = frame.below
            if isinstance(frame, _ReadItem) and frame.content is None and not frame.filler:
                frame.content = self._empty
            if type(frame) is kind:
                return

    def _level(self, depth: int) -> int:
        """The level of a line ``depth`` levels into the current item; deeper than the
        format holds is kept at :data:`MAX_LEVEL`, and reported."""
        item, _ = self._context
        level = (item.level if item is not None else 0) + depth
        if level > MAX_LEVEL:
            self._losses.add(Loss.TOO_DEEP)
            return MAX_LEVEL
        return level

    def open_list(self, ordered: bool, start: int = 1) -> None:
        """A list, starting at ``start`` if ordered."""
        self._open_list(ordered, start)

    def _open_list(self, ordered: bool, start: int) -> _ReadList:
        item, depth = self._context
        top = self._stack[-1] if self._stack else None
        if isinstance(top, _ReadList):
            level = top.level + 1
        else:
            if depth:
                self._losses.add(Loss.QUOTED_LIST)
            level = (item.level if item is not None else 0) + depth + 1
        if item is not None:
            item.lines += 1  # what follows the list in the item continues it
        frame = _ReadList(ordered, self._number(start), level, self._context)
        self._push(frame)
        return frame

    def close_list(self) -> None:
        self._close(_ReadList)

    def open_item(self, number: int | None = None, kind: ListKind | None = None) -> None:
        """An item of the innermost list (a bulleted list opened for it if there is none);
        ``number`` (an HTML ``value``) renumbers it, ``kind`` overrides the list's."""
        if self._stack and isinstance(self._stack[-1], _ReadItem):
            self._close(_ReadItem)  # an item directly in an item ends it (HTML's rule)
        top = self._stack[-1] if self._stack else None
        if not isinstance(top, _ReadList):
            top = self._open_list(False, 1)
        if number is not None:
            top.next = self._number(number)
        elif top.last == MAX_NUMBER:
            self._losses.add(Loss.NUMBERS_RESTARTED)
        top.last = top.next
        top.next = following(top.last)
        if kind is None:
            kind = ListKind.NUMBER if top.ordered else ListKind.BULLET
        item = _ReadItem(kind, top.last, top.level, self._context)
        self._push(item)
        self._context = (item, 0)
        self._lines.append(item)

    def close_item(self) -> None:
        self._close(_ReadItem)

    def open_indent(self, depth: int = 1) -> None:
        """An indented block (a quote, a margin) ``depth`` levels deep."""
        item, indent = self._context
        self._push(_ReadIndent(depth, self._context))
        self._context = (item, indent + max(depth, 0))

    def close_indent(self) -> None:
        self._close(_ReadIndent)

    def _number(self, number: int) -> int:
        if 0 <= number <= MAX_NUMBER:
            return number
        self._losses.add(Loss.NUMBER_OUT_OF_RANGE)
        return min(max(number, 0), MAX_NUMBER)

    # the innermost item

    def item_is_fresh(self) -> bool:
        """Is the innermost item open and still without any line?"""
        item, depth = self._context
        return item is not None and item.lines == 0 and depth == 0

    def set_task(self, done: bool) -> None:
        """The innermost (unordered) item is a task."""
        item, _ = self._context
        if item is not None and item.kind is not ListKind.NUMBER:
            item.kind = ListKind.CHECKED if done else ListKind.CHECKBOX

    def set_filler(self) -> None:
        """The innermost item stands for a skipped level: it has no line of its own."""
        item, _ = self._context
        if item is not None and item.lines == 0:
            item.filler = True
            item.lines += 1

    # lines

    def add(self, content: P, *, plain: bool = False) -> None:
        """A line, where the open containers put it; ``plain`` lines (galleries) take no
        list or indent style."""
        item, depth = self._context
        if item is not None:
            item.lines += 1
            if item.lines == 1 and depth == 0 and not plain:
                item.content = content
                return
        if plain or (item is None and depth == 0):
            self._lines.append((content, None))
        else:
            self._lines.append((content, self._style(ListKind.INDENT, max(depth, 1), None)))

    def add_styled(self, content: P, style: ListStyle) -> None:
        """A line with its own list style (a Word list paragraph), its level counted from
        where the open containers are; an ordered one without a number shows the number
        that follows the last one at its level (:func:`shown_numbers`)."""
        item, depth = self._context
        if item is not None:
            item.lines += 1
        if style.kind is ListKind.NUMBER and style.number is None:
            self._unnumbered = True
        self._lines.append((content, self._style(style.kind, depth + style.level, style.number)))

    def _style(self, kind: ListKind, depth: int, number: int | None) -> ListStyle:
        return _list_style(kind, self._level(depth), number)

    def result(self) -> list[tuple[P, ListStyle | None]]:
        """The lines, once every container still open is closed."""
        while self._stack:
            self._close(type(self._stack[-1]))
        lines: list[tuple[P, ListStyle | None]] = []
        for line in self._lines:
            if not isinstance(line, _ReadItem):
                lines.append(line)
            elif not line.filler:
                number = line.number if line.kind is ListKind.NUMBER else None
                style = self._style(line.kind, line.level, number)  # (at the margin now)
                lines.append((line.content, style))  # type: ignore[arg-type]
        if self._unnumbered:
            numbers = shown_numbers(style for _, style in lines)
            lines = [
                (content, style)
                if style is None or style.kind is not ListKind.NUMBER or style.number is not None
                else (content, _list_style(style.kind, style.level, number))
                for (content, style), number in zip(lines, numbers, strict=True)
            ]
        return lines
