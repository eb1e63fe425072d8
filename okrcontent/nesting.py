"""Flat list lines <-> a tree of lists: the only place that knows about list depth.

The wire format is flat: every line carries its own list kind, ``indentLevel`` and
``number``. Markdown and HTML lists are trees. :func:`build` turns a sequence of lines into
the tree every writer walks, and :func:`flatten` turns the tree every reader builds back into
lines, so that ``flatten(build(lines))`` gives the lines back (with levels and numbers made
explicit, as :func:`okrcontent.normalize` has them).

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

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, TypeAlias, TypeVar

import attrs

from .model import BOUNDS, ListKind, ListStyle

__all__ = [
    "MAX_LEVEL",
    "MAX_NUMBER",
    "Indented",
    "Item",
    "ListBlock",
    "Node",
    "Plain",
    "TreeBuilder",
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


# --- building from nested markup: what readers walk ------------------------------------------


@attrs.define
class _ReadItem(Generic[P]):
    kind: ListKind
    number: int | None
    content: P | None = None
    filler: bool = False
    lines: int = 0  # lines and blocks added inside it so far
    children: list[Node[P]] = attrs.Factory(list)
    reopened: bool = False  # opened again for a list that stood directly inside its list


@attrs.define
class _ReadList(Generic[P]):
    ordered: bool
    next_number: int
    items: list[Item[P]] = attrs.Factory(list)
    last: int | None = None  # the number of the last item opened


class TreeBuilder(Generic[P]):
    """The tree of a document whose lists and indentation are nested markup (Markdown,
    HTML): a reader opens and closes lists, items and indented blocks as it walks, and adds
    lines; :meth:`result` is the tree for :func:`flatten`.

    The first line added to an item (not inside an indented block of it) is the item's own
    line; later lines in it are indented one level under it, as a continuation paragraph
    shows. An indented block adds its depth to the lines inside it.

    Item numbers run on by :func:`following`; :attr:`restarted` tells the reader that a
    list ran past :data:`MAX_NUMBER` and started again at 1 (a loss to report).
    """

    def __init__(self) -> None:
        self._root: list[Node[P]] = []
        self._stack: list[_ReadItem[P] | _ReadList[P] | int] = []  # int: an indented block
        self.restarted = False

    # containers

    def _item(self) -> tuple[_ReadItem[P] | None, int]:
        """The innermost open item (``None``: the document) and the indentation inside it."""
        depth = 0
        for frame in reversed(self._stack):
            if isinstance(frame, int):
                depth += frame
            elif isinstance(frame, _ReadItem):
                return frame, depth
        return None, depth

    def open_list(self, ordered: bool, start: int = 1) -> None:
        """A list; one directly inside a list (as Google Docs writes nested lists) belongs
        to the list's last item, or to a filler item if it has none."""
        outer = self._stack[-1] if self._stack else None
        if isinstance(outer, _ReadList):
            if outer.items:
                last = outer.items.pop()
                reopened = _ReadItem(last.kind, last.number, last.content, last.content is None)
                reopened.lines, reopened.children = 1, list(last.children)
                reopened.reopened = True
                self._stack.append(reopened)
            else:
                self.open_item()
                self.set_filler()
                top = self._stack[-1]
                assert isinstance(top, _ReadItem)
                top.reopened = True
        self._stack.append(_ReadList(ordered, start))

    def close_list(self) -> None:
        self._close_reopened()
        frame = self._stack.pop()
        assert isinstance(frame, _ReadList), "close_list() without open_list()"
        if frame.items:
            self.add_node(ListBlock(frame.ordered, tuple(frame.items)))

    def _close_reopened(self) -> None:
        """Close an item that only a list directly inside its list had opened."""
        top = self._stack[-1] if self._stack else None
        if isinstance(top, _ReadItem) and top.reopened:
            self._finish_item(None)

    def open_item(self, number: int | None = None) -> None:
        """An item of the innermost list; ``number`` (an HTML ``value``) renumbers it."""
        self._close_reopened()
        lst = self._stack[-1] if self._stack else None
        if not isinstance(lst, _ReadList):  # an item outside a list: as browsers do
            self.open_list(False)
            lst = self._stack[-1]
            assert isinstance(lst, _ReadList)
        if lst.ordered:
            if number is not None:
                lst.next_number = number
            elif lst.last == MAX_NUMBER:
                self.restarted = True
            number = lst.last = lst.next_number
            lst.next_number = following(number)
        kind = ListKind.NUMBER if lst.ordered else ListKind.BULLET
        self._stack.append(_ReadItem(kind, number if lst.ordered else None))

    def item_is_fresh(self) -> bool:
        """Is the innermost item open and still without any line?"""
        item, depth = self._item()
        return item is not None and item.lines == 0 and depth == 0 and not item.filler

    def set_task(self, done: bool) -> None:
        """The innermost (unordered) item is a task."""
        item, _ = self._item()
        if item is not None and item.kind is not ListKind.NUMBER:
            item.kind = ListKind.CHECKED if done else ListKind.CHECKBOX

    def set_filler(self) -> None:
        """The innermost item stands for a skipped level: it has no line of its own."""
        item, _ = self._item()
        if item is not None and item.lines == 0:
            item.filler = True
            item.lines += 1

    def close_item(self, empty: P) -> None:
        """Close the innermost item; ``empty`` is its line if it got none."""
        self._close_reopened()
        self._finish_item(empty)

    def _finish_item(self, empty: P | None) -> None:
        item = self._stack.pop()
        assert isinstance(item, _ReadItem), "close_item() without open_item()"
        lst = self._stack[-1]
        assert isinstance(lst, _ReadList)
        content = None if item.filler else (empty if item.content is None else item.content)
        lst.items.append(Item(content, item.kind, item.number, tuple(item.children)))

    def open_indent(self, depth: int = 1) -> None:
        self._stack.append(depth)

    def close_indent(self) -> None:
        frame = self._stack.pop()
        assert isinstance(frame, int), "close_indent() without open_indent()"

    # lines

    def add(self, content: P, *, plain: bool = False) -> None:
        """A line, where the open containers put it; ``plain`` lines (galleries) take no
        list or indent style."""
        item, depth = self._item()
        if item is not None and item.lines == 0 and depth == 0 and not plain:
            item.content = content
            item.lines += 1
            return
        if plain or (item is None and depth == 0):
            self.add_node(Plain(content))
        else:
            self.add_node(Indented(content, max(depth, 1)))

    def add_node(self, node: Node[P]) -> None:
        item, _ = self._item()
        if item is None:
            self._root.append(node)
        else:
            item.lines += 1
            item.children.append(node)

    def result(self) -> tuple[Node[P], ...]:
        """The tree, once the walk has closed every container it opened."""
        return tuple(self._root)
