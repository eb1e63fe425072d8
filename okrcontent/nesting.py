"""Flat list lines <-> a tree of lists: the only place that knows about list depth.

The wire format is flat: every line carries its own list kind, ``indentLevel`` and
``number``. Markdown and HTML lists are trees. :func:`build` turns a sequence of lines into
the tree every writer walks, and :func:`flatten` turns a tree back into lines, so that
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
from typing import Generic, TypeAlias, TypeVar

import attrs

from .losses import Loss, Losses
from .model import BOUNDS, ListKind, ListStyle

__all__ = [
    "MAX_LEVEL",
    "MAX_NUMBER",
    "Indented",
    "Item",
    "LineBuilder",
    "ListBlock",
    "Node",
    "Plain",
    "build",
    "flatten",
    "following",
    "shown_numbers",
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
    last: dict[int, int | None] = {}
    for style in styles:
        if style is None:
            last.clear()
            yield None
            continue
        level = style.level
        for deeper in [k for k in last if k > level]:
            del last[deeper]
        number = None
        if style.kind is ListKind.NUMBER:
            if style.number is not None:
                number = style.number
            else:
                previous = last.get(level)
                number = 1 if previous is None else following(previous)
        last[level] = number
        yield number


# --- building: flat lines -> tree ------------------------------------------------------------


@attrs.define
class _Open:
    """An item under construction: its level and what has been nested under it so far."""

    level: int
    content: object
    kind: ListKind
    number: int | None
    children: list[_Node] = attrs.Factory(list)


# Mutable stand-ins while building; frozen into the public classes at the end.
_Node: TypeAlias = "Plain[object] | Indented[object] | _List"


@attrs.define
class _List:
    ordered: bool
    items: list[_Open]


def _container(stack: list[_Open], root: list[_Node]) -> list[_Node]:
    return stack[-1].children if stack else root


def _add_item(stack: list[_Open], root: list[_Node], item: _Open) -> None:
    """Append ``item`` to the list it continues, or start a new list for it."""
    siblings = _container(stack, root)
    ordered = item.kind is ListKind.NUMBER
    last = siblings[-1] if siblings else None
    if isinstance(last, _List) and last.ordered == ordered:
        previous = last.items[-1].number
        if not ordered or (previous is not None and item.number == previous + 1):
            last.items.append(item)
            stack.append(item)
            return
    siblings.append(_List(ordered, [item]))
    stack.append(item)


def build(
    lines: Sequence[tuple[P, ListStyle | None]], numbers: Iterable[int | None] | None = None
) -> tuple[Node[P], ...]:
    """The tree of ``lines`` (payload, list style); see the module docstring. ``numbers``
    are the numbers the lines show, if the caller has them (:func:`shown_numbers`)."""
    root: list[_Node] = []
    stack: list[_Open] = []  # the open items, shallowest first; levels strictly increase
    if numbers is None:
        numbers = shown_numbers(s for _, s in lines)
    for (content, style), number in zip(lines, numbers, strict=True):
        if style is None:
            stack.clear()
            root.append(Plain(content))
            continue
        level = style.level
        while stack and stack[-1].level >= level:
            stack.pop()
        if style.kind is ListKind.INDENT:
            base = stack[-1].level if stack else 0
            _container(stack, root).append(Indented(content, level - base))
            continue
        while (stack[-1].level if stack else 0) < level - 1:  # a skipped level: a filler
            filler_level = (stack[-1].level if stack else 0) + 1
            _add_item(stack, root, _Open(filler_level, None, ListKind.BULLET, None))
        _add_item(stack, root, _Open(level, content, style.kind, number))
    return tuple(_freeze(node) for node in root)  # type: ignore[misc]


def _freeze(node: _Node) -> Node[object]:
    if isinstance(node, _List):
        return ListBlock(node.ordered, tuple(_freeze_item(item) for item in node.items))
    return node


def _freeze_item(item: _Open) -> Item[object]:
    children = tuple(_freeze(child) for child in item.children)
    return Item(item.content, item.kind, item.number, children)


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
