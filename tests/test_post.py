"""The chat ``post`` format both ways: the writer's fixtures, the round trip on structure and
text (and exactly, for what a post can say), posts people send, hostile posts, the mapping
tables against the code, and ``convert --to post``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import okrcontent
from okrcontent import (
    Content,
    DocsLink,
    Gallery,
    Image,
    Link,
    ListStyle,
    Mention,
    Paragraph,
    TextRun,
    TextStyle,
    UnknownElement,
)
from okrcontent.cli import main
from okrcontent.losses import Loss
from okrcontent.model import Element
from okrcontent.normalize import clear_caches
from okrcontent.post_marks import is_user
from okrcontent.readers import post as reader
from okrcontent.writers import post as writer

from .data import SHAPES
from .outline import FIXTURES, outline, read_sections
from .strategies import contents
from .timing import assert_linear

PEOPLE = {"ou_1": "Alice"}
KEYS = {"boxcn1": "img_v3_1"}
WRITE = read_sections(FIXTURES / "post" / "write.txt", 2)
READ = read_sections(FIXTURES / "post" / "read.txt", 3)
DOC_TAGS = ("text", "a", "at", "img", "media", "emotion", "hr", "code_block", "md")
"""Every tag of the docs' "富文本 post" (Send message content structure)."""


def _lines(section: str) -> list[Any]:
    return [json.loads(line) for line in section.splitlines() if line.strip()]


def _quiet_post(content: Content | okrcontent.ProgressRecord, **options: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        return okrcontent.to_post(content, **options)


def _read(post: Any) -> tuple[Content, set[Loss]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", okrcontent.LossWarning)
        content = okrcontent.from_post(post)
    return content, {w.message.loss for w in caught}  # type: ignore[union-attr]


# --- fixtures --------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "title", "sections"), WRITE, ids=[c[1] for c in WRITE])
def test_write(line: int, title: str, sections: list[str]) -> None:
    source, expected = sections
    post = _quiet_post(outline(source), people=PEOPLE, image_keys=KEYS)
    assert post == {"zh_cn": {"content": _lines(expected)}}
    again = _quiet_post(_read(post)[0], people=PEOPLE, image_keys=KEYS)
    unkeyed = {"tag": "text", "text": "[image]"}  # read back, a chat image has no source
    assert again["zh_cn"]["content"] == [
        [unkeyed if e["tag"] == "img" else e for e in line] for line in _lines(expected)
    ]


@pytest.mark.parametrize(("line", "title", "sections"), READ, ids=[c[1] for c in READ])
def test_read(line: int, title: str, sections: list[str]) -> None:
    source, expected, losses = sections
    post = json.loads(source) if source.startswith("{") else {"zh_cn": {"content": _lines(source)}}
    content, reported = _read(post)
    assert content == outline(expected)
    assert reported == {Loss[name.strip()] for name in losses.split(",") if name.strip()}


def test_there_are_cases() -> None:
    assert len(WRITE) >= 10
    assert len(READ) >= 10


def test_the_writer_reports_what_a_chat_cannot_show() -> None:
    content = outline(
        '["", {"text": "red", "color": [255, 0, 0, 1]}, {"text": "x", "link": "/here"}]\n'
        '["", {"mention": "", "user": "6912"}]'
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", okrcontent.LossWarning)
        okrcontent.to_post(content)
    losses = [w.message.loss for w in caught]  # type: ignore[union-attr]
    assert losses == [Loss.COLORS, Loss.INACTIVE_LINK, Loss.MENTION_AS_TEXT]
    assert {w.filename for w in caught} == {__file__}


def test_title_locale_and_json_text() -> None:
    content = Content([Paragraph(["hi"])])
    assert okrcontent.to_post(content, title="Week 47", locale="en_us") == {
        "en_us": {"title": "Week 47", "content": [[{"tag": "text", "text": "hi"}]]}
    }
    text = writer.to_post_json(content)
    assert text.endswith("\n")
    assert json.loads(text) == okrcontent.to_post(content)
    with pytest.raises(ValueError, match="locale"):
        okrcontent.to_post(content, locale="zh-CN")


def test_a_record_is_its_content_titled_with_its_header() -> None:
    rate = okrcontent.ProgressRate(60.0, okrcontent.ProgressStatus.AT_RISK)
    record = okrcontent.ProgressRecord("7", "1760604600000", Content(["done"]), rate)
    with pytest.warns(okrcontent.LossWarning) as caught:
        post = okrcontent.to_post(record)
    assert [(w.message.loss, w.message.detail) for w in caught] == [  # type: ignore[union-attr]
        (Loss.METADATA_NOT_WRITTEN, "progress_id")  # (the title shows the others)
    ]
    assert [w.filename for w in caught] == [__file__]  # (the caller's line)
    assert post == {
        "zh_cn": {
            "title": "2025-10-16 08:50 UTC · 60% · At risk",
            **okrcontent.to_post(Content(["done"]))["zh_cn"],
        }
    }
    with pytest.warns(okrcontent.LossWarning) as caught:
        assert okrcontent.to_post(record, title="Week 42")["zh_cn"]["title"] == "Week 42"
    assert [w.message.detail for w in caught] == [  # type: ignore[union-attr]
        "progress_id, modified, percent, status"  # (a title of the caller's shows none)
    ]
    bare = okrcontent.ProgressRecord("8", None, Content(["x"]))
    with pytest.warns(okrcontent.LossWarning) as caught:
        assert "title" not in okrcontent.to_post(bare)["zh_cn"]
    assert [w.message.detail for w in caught] == ["progress_id"]  # type: ignore[union-attr]


def test_a_doc_link_to_a_feishu_document_comes_back() -> None:
    content = Content([Paragraph([DocsLink("https://x.feishu.cn/wiki/wikcn1", "Plan")])])
    assert okrcontent.from_post(okrcontent.to_post(content)) == okrcontent.normalize(content)


# --- the round trip ----------------------------------------------------------------------------


def _structure(content: Content) -> list[object]:
    """Block kinds, list kinds, levels and numbers; consecutive images are one gallery."""
    shape: list[Any] = []
    for block in content.blocks:
        if isinstance(block, Gallery):
            if shape and isinstance(shape[-1], tuple) and shape[-1][0] == "gallery":
                shape[-1] = ("gallery", shape[-1][1] + len(block.images))
            else:
                shape.append(("gallery", len(block.images)))
        elif isinstance(block, Paragraph):
            style = block.list_style
            shape.append(None if style is None else (style.kind, style.level, style.number))
    return shape


@given(contents())
def test_structure_and_text_round_trip(content: Content) -> None:
    """Lines, list kinds, levels, numbers and images come back, and so does every text as
    the post shows it: the post written from what was read is the same post."""
    post = _quiet_post(content, people=PEOPLE)
    back, _ = _read(json.dumps(post))
    assert _structure(back) == _structure(okrcontent.normalize(content))
    assert _quiet_post(back, people=PEOPLE) == post


def _chat_link(url: str | None) -> str | None:
    return url if url and writer.chat_href(url) else None


def _said(element: Element) -> Element | None:
    """``element`` as a post says it (see the writer's mapping table)."""
    if isinstance(element, TextRun):
        style = element.style
        if style is None:
            return element
        url = style.link.url if style.link is not None else None
        plain = TextStyle(style.bold, style.strikethrough, link=_chat_link(url))
        return TextRun(element.text, plain)
    if isinstance(element, Mention):  # an id that is no user's (all) is text: never @all
        if element.open_id and not is_user(element.open_id):
            return TextRun("@" + element.open_id)
        return Mention(element.open_id) if element.open_id else None
    if isinstance(element, DocsLink):  # a doc link that is no Feishu document: a link
        text = element.title if (element.title or "").strip() else element.url
        return TextRun(text or "", TextStyle(link=_chat_link(element.url)))
    return None


def _in_post_terms(content: Content) -> Content:
    """``content`` with only what a post says: no colour, chat links, open ids, doc links
    as links, image sources a chat opens, no image size, no galleries side by side."""
    blocks: list[Paragraph | Gallery] = []
    for block in okrcontent.normalize(content).blocks:
        if isinstance(block, Gallery):
            images = [Image(_chat_link(i.src), i.file_token) for i in block.images]
            if blocks and isinstance(blocks[-1], Gallery):
                images = [*blocks.pop().images, *images]  # type: ignore[union-attr]
            blocks.append(Gallery(images))
        elif isinstance(block, Paragraph):
            said = [_said(e) for e in block.elements]
            blocks.append(Paragraph([e for e in said if e is not None], block.style))
    return okrcontent.normalize(Content(blocks))


@given(contents(unknown=False).map(_in_post_terms))
@example(Content([Paragraph([TextRun("\n")])]))  # a line break alone is no empty line
@example(Content([Paragraph(["x"], ListStyle("indent", 2)), Paragraph([" - y"])]))
def test_what_a_post_says_comes_back_exactly(content: Content) -> None:
    assert okrcontent.from_post(okrcontent.to_post(content)) == content


TRICKY = ["- ", "• ", "◦", "☐ ", "☑", "[x] ", "[ ]", "1. ", "2) ", "\\", " ", "\u3000", "\t",
          "\u00a0", "\u200b", "[image]", "[image: a]", "x", "\n"]  # fmt: skip


@given(
    st.lists(st.sampled_from(TRICKY), min_size=1, max_size=4).map("".join),
    st.sampled_from([None, ListStyle("bullet"), ListStyle("number", 2, 7), ListStyle("indent")]),
)
def test_text_that_looks_like_notation_stays_text(text: str, style: ListStyle | None) -> None:
    content = okrcontent.normalize(Content([Paragraph([text], style)]))
    assert okrcontent.from_post(okrcontent.to_post(content)) == content


# --- posts that are not posts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("post", "path", "reason"),
    [
        ("{not json", "", "not JSON"),
        ([1, 2], "", "is not a post"),
        ({}, "", "no language"),
        ({"msg_type": "text", "content": "{}"}, "msg_type", "'text' message, not a post"),
        ({"zh_cn": {"content": {}}}, "zh_cn.content", "no language"),
        ({"zh_cn": {"content": "x"}}, "zh_cn.content", "not JSON"),
        ({"zh_cn": {"title": 5, "content": []}}, "zh_cn.title", "5 is not a string"),
        ({"zh_cn": {"content": [{"tag": "text"}]}}, "zh_cn.content[0]", "not a list"),
        ({"zh_cn": {"content": [[1]]}}, "zh_cn.content[0][0]", "1 is not an element"),
        ({"zh_cn": {"content": [[{"text": "x"}]]}}, "zh_cn.content[0][0].tag", "None"),
        (
            {"zh_cn": {"content": [[], [{"tag": "text", "text": 5}]]}},
            "zh_cn.content[1][0].text",
            "5",
        ),
        (
            {"content": [[{"tag": "text", "text": "x", "style": "bold"}]]},
            "content[0][0].style",
            "list",
        ),
        ({"content": [[{"tag": "at", "user_id": ["ou_1"]}]]}, "content[0][0].user_id", "string"),
        ({"content": [[{"tag": "a", "text": "x", "href": {}}]]}, "content[0][0].href", "string"),
        ({"msg_type": "post", "content": '{"zh_cn": 5}'}, "content", "no language"),
        ({"zh_cn": {"content": 5}}, "zh_cn.content", "5 is not a list of lines"),
        (json.dumps(json.dumps(5)), "", "5 is not a post"),
        ("[" * 100_000, "", "not JSON"),
    ],
)
def test_what_is_not_a_post_is_a_content_error(post: Any, path: str, reason: str) -> None:
    with pytest.raises(okrcontent.ContentError, match=reason) as caught:
        okrcontent.from_post(post)
    assert caught.value.path == path


def test_wrappers_end() -> None:
    post: Any = {"content": [[{"tag": "text", "text": "x"}]]}
    for _ in range(20):
        post = json.dumps(post)
    with pytest.raises(okrcontent.ContentError, match="wrapped too deep"):
        okrcontent.from_post(post)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = ["tag", "text", "href", "user_id", "user_name", "style", "un_escape", "image_key"]
elements = st.dictionaries(
    st.sampled_from(FIELDS),
    st.sampled_from([*DOC_TAGS, "x", "all", "@_user_1", "[image]", "\u3000• a", "\\"])
    | st.lists(st.sampled_from(["bold", "italic", "x"]), max_size=2)
    | json_values,
    max_size=5,
)
lines = st.lists(st.lists(elements, max_size=4), max_size=4)
posts = st.fixed_dictionaries({"zh_cn": st.fixed_dictionaries({"content": lines})}) | json_values


@given(posts)
@example({"zh_cn": {"content": [[{"tag": "a", "text": "x", "href": "", "style": [[1], {}]}]]}})
def test_any_value_gives_content_or_a_content_error(post: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        try:
            content = okrcontent.from_post(post)
        except okrcontent.ContentError:
            return
    assert isinstance(content, Content)
    assert okrcontent.normalize(content) == content


# --- the tables against the code ---------------------------------------------------------------


def test_every_element_and_style_has_a_rule() -> None:
    elements = {TextRun, Mention, DocsLink}
    assert set(writer.ELEMENTS) == elements == set(Element.__args__) - {UnknownElement}
    said = {field for field, _ in writer.STYLES} | {"link", "text_color", "back_color", "extra"}
    assert said == {field.name for field in attrs.fields(TextStyle)}
    assert {name for _, name in writer.STYLES} == set(reader.STYLES)
    assert set(reader.STYLES) | set(reader.LOST_STYLES) == {
        "bold",
        "underline",
        "lineThrough",
        "italic",
    }


def test_every_tag_of_the_docs_has_a_rule_and_a_row() -> None:
    assert set(reader.TAGS) == set(DOC_TAGS)
    for tag in DOC_TAGS:
        assert f"``{tag}``" in (reader.__doc__ or ""), tag
    for name in ("text", "a", "at", "img", "bold", "lineThrough", "user_id", "user_name"):
        assert f"``{name}``" in (writer.__doc__ or "") or f'"{name}"' in (writer.__doc__ or ""), (
            name
        )


# --- the command line --------------------------------------------------------------------------


def test_convert_to_post_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    update = tmp_path / "update.md"
    update.write_text("**Shipped** the beta\n\n- [x] rollout\n", encoding="utf-8")
    post = tmp_path / "update.post.json"
    assert main(["convert", str(update), "--to", "post", "-o", str(post)]) == 0
    written = json.loads(post.read_text(encoding="utf-8"))
    assert written["zh_cn"]["content"] == [
        [
            {"tag": "text", "text": "Shipped", "style": ["bold"]},
            {"tag": "text", "text": " the beta"},
        ],
        [{"tag": "text", "text": "☑ rollout"}],
    ]
    assert okrcontent.formats.format_for_path(str(post)) == "post"
    assert okrcontent.formats.format_for_path("record.json") == "json"
    assert main(["convert", str(post), "--to", "markdown"]) == 0
    assert capsys.readouterr().out == "**Shipped** the beta\n\n- [x] rollout\n"


# --- time ----------------------------------------------------------------------------------------


def _one_long_line(n: int) -> Content:
    """One paragraph of ``n`` elements: styles changing, line breaks, then a long stretch of
    elements of nothing but spaces (a post cannot merge a link with plain text)."""
    bold, link = TextStyle(bold=True), TextStyle(link=Link("https://d.test/"))
    cycle: list[Element] = [
        TextRun("w ", bold),
        TextRun("x \n"),
        DocsLink("https://d.test/", "t"),
        Mention("ou_1"),
    ]
    elements = [cycle[i % 4] for i in range(n // 2)]
    elements += [TextRun(" ", link if i % 2 else None) for i in range(n // 2)]
    return Content([Paragraph([*elements, Mention("ou_2")])])


SHAPES_TOO = {**SHAPES, "one long line": _one_long_line}


@pytest.mark.parametrize("shape", ["many runs", "deep lists", "one long line"])
def test_both_ways_take_time_linear_in_the_input(shape: str) -> None:
    def both(content: Content) -> Content:
        clear_caches()  # every run meets its styles for the first time, as a new record does
        return okrcontent.from_post(_quiet_post(content))

    assert_linear(both, SHAPES_TOO[shape], 2000)
