"""Text as Markdown source: escaped only where a parser would otherwise read syntax there.

A character is escaped when, in its position, some CommonMark or GFM parser would take it
for markup; everywhere else it is written as it is, so that ``snake_case``, ``a|b``,
``1.5x``, ``#tag`` and ``C:\\temp`` read as they are typed. Parsers differ, so "some
parser" means the union of CommonMark 0.29 (GitHub's cmark-gfm, commonmark.py) and 0.31
(markdown-it-py): 0.31 counts symbols (emoji, ``¥``, ``+``) as punctuation next to
emphasis delimiters and 0.29 does not, and a delimiter that works in only one of them is
escaped (or, for the writer's own ``**``/``~~``, replaced by a tag: :func:`flanks`).

The rules, where they apply:

- anywhere: ``*``, ``_`` and ``~`` runs that could open or close emphasis or strikethrough
  (by the flanking rules; ``_`` inside a word cannot); ``<`` before a letter, ``/``, ``!``
  or ``?`` (a tag, comment or autolink); ``&`` that starts a character reference; ``\\``
  before punctuation or at a line's end; ``]`` before ``(``, ``[`` or ``:`` (a link or a
  definition); a backtick when the paragraph holds another one (a code span); ``!`` right
  before a link; the colon of ``http://``, ``https://``, ``ftp://`` and the dot of ``www.``
  (GFM's autolinks); a carriage return (a line ending to every parser);
- inside a link's text: every bracket;
- at the start of a line (the paragraph's, or after a hard break): what would start a block
  (``#`` heading, ``>`` quote, ``-``/``+``/``*`` or ``1.``/``1)`` list item, thematic break,
  ``===``/``---``/``:-:`` underline or table delimiter row, ``~~~`` fence, ``[ ]`` task box);
  leading whitespace, which parsers strip, is written as character references.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable

from markdown_it.common.utils import MD_TRIM_CHARS, isWhiteSpace

__all__ = ["GUARD", "destination", "escape", "flanks", "is_space"]

_ASCII_PUNCT = frozenset(string.punctuation)
_SPACES = frozenset(
    [""] + [c for c in map(chr, range(0x3001)) if c in MD_TRIM_CHARS or isWhiteSpace(ord(c))]
)
"""What markdown-it strips from the edges of a paragraph, its whitespace, and ``""``."""


def is_space(char: str) -> bool:
    """Whitespace that a parser may strip at the edge of a line (``""``: the edge itself)."""
    return char in _SPACES


def _punct_029(char: str) -> bool:
    return char in _ASCII_PUNCT or unicodedata.category(char)[0] == "P"


def _punct_029_gfm(char: str) -> bool:
    # cmark-gfm does not always see the "*" and "~" of a delimiter beside another delimiter
    # as punctuation (``**~~（a）~~**~~b~~`` shows its asterisks): one more reading.
    return char not in "*~" and _punct_029(char)


def _punct_031(char: str) -> bool:
    return char in _ASCII_PUNCT or unicodedata.category(char)[0] in "PS"


_PUNCTUATION: tuple[Callable[[str], bool], ...] = (_punct_029, _punct_029_gfm, _punct_031)
"""What "punctuation" means next to a delimiter: in CommonMark 0.29, in cmark-gfm, in 0.31.
The writer's delimiters must work in every reading, text must be inert in every one."""


def _flanking(before: str, after: str, punct: Callable[[str], bool]) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) of a delimiter run between two characters."""
    space_before, space_after = is_space(before), is_space(after)
    punct_before = not space_before and punct(before)
    punct_after = not space_after and punct(after)
    left = not space_after and (not punct_after or space_before or punct_before)
    right = not space_before and (not punct_before or space_after or punct_after)
    return left, right


def flanks(inner: str, before: str, after: str) -> bool:
    """Does ``**``/``~~`` around ``inner`` open and close, between ``before`` and ``after``
    (``""``: a line's edge), in every parser and every reading of every character?"""
    if not inner:
        return False
    before, after = before[-1:], after[:1]
    first, last = inner[0], inner[-1]
    left = not is_space(first) and (not _punct_031(first) or is_space(before) or _must(before))
    right = not is_space(last) and (not _punct_031(last) or is_space(after) or _must(after))
    return left and right


def _must(char: str) -> bool:
    """Is ``char`` punctuation in every reading (0.31's is the widest)?"""
    return _punct_029_gfm(char)


def _active(run: str, before: str, after: str) -> bool:
    """Could this run of ``*``, ``_`` or ``~`` open or close, in some parser?"""
    char = run[0]
    if char == "_" and before.isalnum() and after.isalnum():
        return False  # inside a word (letters and digits are neither space nor punctuation)
    if before == char or after == char:
        return True  # it would join the writer's own delimiter beside it
    for punct in _PUNCTUATION:
        left, right = _flanking(before, after, punct)
        if char != "_":
            if left or right:
                return True
        elif (left and (not right or punct(before))) or (right and (not left or punct(after))):
            return True
    return False


GUARD = "<span></span>"
"""An empty tag: keeps an edge character from being trimmed, or a line from being empty."""

_INVALID_REFERENCE = {0x0B}  # whitespace with no valid character reference in CommonMark


def _reference(char: str) -> str:
    if ord(char) in _INVALID_REFERENCE:  # no reference for it: guard it on both sides
        return f"{GUARD}{char}{GUARD}"
    return f"&#{ord(char)};"


_INLINE_RULES = r"""(?P<run>\*+|_+|~+)
    | (?P<tick>`)
    | (?P<bracket>[\[\]])
    | <(?=[A-Za-z/!?])
    | &(?=\#[0-9]|\#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]*;)
    | (?P<backslash>\\)
    | (?P<cr>\r)"""
_AUTOLINK_RULES = r"""
    | (?i:https?|ftp)(?P<colon>:)(?=//)
    | (?<![A-Za-z0-9.])www(?P<dot>\.)"""
_INLINE = re.compile(_INLINE_RULES + _AUTOLINK_RULES, re.VERBOSE)
_INLINE_PLAIN = re.compile(_INLINE_RULES, re.VERBOSE)
""":data:`_INLINE` without GFM's autolinks, for a line that has neither ``://`` nor ``www.``
(where they cannot match): the regex engine then skips to the characters rules start with,
where the autolinks' branches made it try every position."""

_BLOCK_START = re.compile(
    r"""\#{1,6}(?:[ \t]|$)
    | >
    | [-+*](?:[ \t]|$)
    | ([-*_])[ \t]*(?:\1[ \t]*){2,}$
    | =+[ \t]*$
    | (?=[^\n]*-)[|:-][|: \t-]*$
    | ~~~
    | \[[ xX]\](?:[ \t]|$)""",
    re.VERBOSE,
)
_ORDERED_START = re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|$))")

_SPECIAL = re.compile(r"[*_~`\[\]<&\\\r\n]")
_AUTOLINK = re.compile(r"(?i:https?|ftp)://")


def _needs_work(text: str) -> bool:
    """Could any rule of :func:`_escape_inline` apply in ``text``? One character class, then
    two substring tests before the scheme's regex: a fifth of one alternation's time (which
    tried every branch at every position)."""
    return (
        _SPECIAL.search(text) is not None
        or ("://" in text and _AUTOLINK.search(text) is not None)
        or "www." in text
    )


def _escape_inline(line: str, before: str, after: str, ticks: bool, in_link: bool) -> str:
    def one(match: re.Match[str]) -> str:
        text = match.group()
        start, end = match.start(), match.end()
        kind = match.lastgroup
        if kind == "run":
            prev = line[start - 1] if start else before
            next_ = line[end] if end < len(line) else after
            return "".join("\\" + c for c in text) if _active(text, prev, next_) else text
        if kind == "tick":
            return "\\`" if ticks else text
        if kind == "bracket":
            next_ = line[end] if end < len(line) else after
            return "\\" + text if in_link or (text == "]" and next_ in ("(", "[", ":")) else text
        if kind == "backslash":
            next_ = line[end] if end < len(line) else ""
            return "\\\\" if next_ == "" or next_ in _ASCII_PUNCT else text
        if kind == "colon":
            return text[:-1] + "\\:"
        if kind == "dot":
            return text[:-1] + "\\."
        if kind == "cr":
            return "&#13;"
        return "\\" + text  # < and &

    plain = "://" not in line and "www." not in line
    return (_INLINE_PLAIN if plain else _INLINE).sub(one, line)


def _escape_line(
    line: str, before: str, after: str, *, start: bool, ticks: bool, link: bool
) -> str:
    """One line of text; ``start``: it begins a line of the output."""
    if start and line and is_space(line[0]):  # leading whitespace: kept as references
        lead = 1
        while lead < len(line) and is_space(line[lead]):
            lead += 1
        rest = _escape_line(line[lead:], " ", after, start=False, ticks=ticks, link=link)
        return "".join(_reference(c) for c in line[:lead]) + rest
    escaped = _escape_inline(line, before, after, ticks, link) if _needs_work(line) else line
    if not start or not line:
        return escaped
    ordered = _ORDERED_START.match(line)
    if ordered:
        cut = ordered.end()
        return escaped[:cut] + "\\" + escaped[cut:]
    if _BLOCK_START.match(line) and not escaped.startswith("\\"):
        if line[0] in "*_~":  # the whole run, or what is left of it could still close
            run = len(line) - len(line.lstrip(line[0]))
            return "".join("\\" + c for c in line[:run]) + escaped[run:]
        return "\\" + escaped
    return escaped


def _trailing(line: str) -> str:
    """Whitespace at the end of ``line`` as references: a parser would strip it, or it would
    stop the writer's delimiter after it from closing."""
    end = len(line)
    while end and is_space(line[end - 1]):
        end -= 1
    return line[:end] + "".join(_reference(c) for c in line[end:])


_DELIMITERS = ("", "**", "~~")
"""Contexts where whitespace at a text's edge would be stripped (a line's edge) or stop the
delimiter it is inside from working."""


def escape(
    text: str, prev: str = "", next_: str = "", *, ticks: bool = True, link: bool = False
) -> str:
    """``text`` as Markdown inline source that reads back as exactly ``text``.

    ``prev``/``next_`` are the characters written around it: ``""`` for the edge of a line,
    ``"**"``/``"~~"`` for the inside of the writer's own delimiters, ``"["``/``"]"`` for the
    inside of a link's text. ``ticks``: the paragraph holds another backtick; ``link``: the
    text is inside a link's text (also when ``prev`` is ``"["``). A newline becomes a hard
    break.
    """
    if not text:
        return text
    if (
        not (prev in _DELIMITERS and (text[0] in _SPACES or (not prev and _starts_block(text))))
        and not (next_ in _DELIMITERS and text[-1] in _SPACES)
        and not (text[-1] == "!" and next_[:1] == "[")
        and not _needs_work(text)
        and not (link and ("[" in text or "]" in text))
    ):
        return text  # the common case: nothing to escape
    link = link or prev == "["
    lines = text.split("\n")
    last = len(lines) - 1
    out = ""
    for index, piece in enumerate(lines):
        before = prev[-1:] if index == 0 else ""
        after = next_[:1] if index == last else "\\"
        line = _escape_line(piece, before, after, start=before == "", ticks=ticks, link=link)
        inside = index == 0 and prev in _DELIMITERS[1:]
        if inside and piece and is_space(piece[0]) and line[0] == piece[0]:
            line = _reference(piece[0]) + line[1:]  # whitespace just inside a delimiter
        if index < last or next_ in _DELIMITERS:
            line = _trailing(line)
        if index == 0:
            out = line
        elif index == 1 and out == "" and prev == "":  # no hard break at a paragraph's start
            out = GUARD + "<br>" + line  # (the guard: a lone <br> would be an empty line)
        elif index == last and line == "" and next_ == "":  # ...nor at its end
            out += "<br>"
        else:
            out += "\\\n" + line
    if next_[:1] == "[" and out.endswith("!") and not out.endswith("\\!"):
        out = out[:-1] + "\\!"  # else "!" and the link after it make an image
    return out


_BLOCK_FIRST = frozenset("#>-+*_=|:~[0123456789")
"""The characters a block start begins with."""


def _starts_block(text: str) -> bool:
    return text[0] in _BLOCK_FIRST and bool(_BLOCK_START.match(text) or _ORDERED_START.match(text))


_PLAIN_DESTINATION = re.compile(r"[^\s<>()\x00-\x1f\x7f]+")
_DESTINATION_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|\Z)|`")
_DESTINATION_ENTITY = re.compile(r"&(?=\#[0-9]|\#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]*;)")


def destination(url: str) -> str:
    """A link or image destination that reads back as ``url``: bare where it can be, else
    in pointy brackets. An ``&`` that would start a character reference is written
    ``&amp;``, not ``\\&``: cmark-gfm decodes ``\\&colon;`` in a destination to ``:``, which
    would turn the inert ``javascript&colon;x`` into an active ``javascript:x``."""
    escaped = _DESTINATION_ENTITY.sub("&amp;", _DESTINATION_ESCAPE.sub(r"\\\g<0>", url))
    if _PLAIN_DESTINATION.fullmatch(url):
        return escaped
    escaped = re.sub(r"[<>]", r"\\\g<0>", escaped).replace("\n", "&#10;").replace("\r", "&#13;")
    return f"<{escaped}>"
