"""The HTML writer: nothing active can come out of any content, and the output is faithful."""

from __future__ import annotations

import warnings
from typing import Any

import lxml.html
import pytest

import okrcontent
from okrcontent import Content, ListStyle, Paragraph, ProgressRecord

from .outline import outline
from .xss import HTML_VECTORS, active_parts, content_vectors

CONTENT = content_vectors()


def test_there_are_enough_vectors() -> None:
    assert len(CONTENT) + len(HTML_VECTORS) >= 40


@pytest.mark.parametrize(("name", "content", "people"), CONTENT, ids=[v[0] for v in CONTENT])
def test_no_content_makes_active_html(name: str, content: Content, people: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        html = okrcontent.to_html(content, people=people)
    assert active_parts(html) == []
    if not name.startswith("unknown"):  # ... and nothing is lost on the way back
        assert okrcontent.from_html(html) == okrcontent.normalize(content)


@pytest.mark.parametrize("source", HTML_VECTORS)
def test_no_foreign_html_survives_a_read_and_write_as_active(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        html = okrcontent.to_html(okrcontent.from_html(source))
    assert active_parts(html) == []


def test_unsafe_urls_are_kept_inert_with_their_text() -> None:
    content = outline('["", {"text": "click", "link": "javascript:alert(1)"}]')
    html = okrcontent.to_html(content)
    assert '<span class="okr-link" data-okr-href="javascript:alert(1)">click</span>' in html


def test_whole_url_encoding_is_decoded_into_a_working_link() -> None:
    content = outline('["", {"text": "doc", "link": "https%3A%2F%2Fexample.com%2Fp%3Fq%3D1"}]')
    html = okrcontent.to_html(content)
    assert '<a href="https://example.com/p?q=1" rel="noopener noreferrer nofollow">doc</a>' in html


def test_the_fragment_shape() -> None:
    content = outline(
        "\n".join(
            [
                '["", "text ", {"text": "bold", "bold": true}, " ", '
                '{"text": "gone", "strike": true}]',
                '["number 1 #5", "five"]',
                '["bullet 2", "child"]',
                '["checked 1", "done"]',
                '["indent 1", "indented"]',
                '["gallery", {"src": "https://i.test/a.png", "token": "boxcn1", '
                '"width": 640.0, "height": 480.0}]',
                '[""]',
            ]
        )
    )
    assert okrcontent.to_html(content) == (
        '<div class="okr-content">\n'
        '<p style="white-space:pre-wrap">text <strong>bold</strong> <s>gone</s></p>\n'
        '<ol start="5"><li style="white-space:pre-wrap">five<ul>'
        '<li style="white-space:pre-wrap">child</li></ul></li></ol>\n'
        '<ul><li class="okr-task" style="white-space:pre-wrap">'
        '<input type="checkbox" disabled checked>done</li></ul>\n'
        '<p class="okr-indent" data-okr-indent="1" style="white-space:pre-wrap;margin-left:2em">'
        "indented</p>\n"
        '<p class="okr-gallery"><img src="https://i.test/a.png" width="640" height="480" '
        'data-okr-token="boxcn1" alt=""></p>\n'
        '<p style="white-space:pre-wrap"><br></p>\n'
        "</div>\n"
    )


def test_numbers_and_nesting_as_html_shows_them() -> None:
    content = Content(
        [
            Paragraph(["one"], ListStyle("number", 1, 1)),
            Paragraph(["three.one"], ListStyle("number", 3, 1)),
            Paragraph(["seven"], ListStyle("number", 1, 7)),
        ]
    )
    root = lxml.html.fragment_fromstring(okrcontent.to_html(content))
    lists = root.findall(".//ol")
    assert [ol.get("start") for ol in lists] == ["1", "1", "7"]
    deepest = root.xpath("//li[normalize-space(text())='three.one']")[0]
    assert len(deepest.xpath("ancestor::ol|ancestor::ul")) == 3
    filler = root.xpath("//li[@class='okr-skip']")[0]
    assert filler.get("style") == "list-style-type:none"


def test_standalone_document() -> None:
    record = ProgressRecord(progress_id="7046", content=Content(["hello"]))
    document = okrcontent.to_html(record, standalone=True)
    assert document.startswith('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">')
    assert "<title>Progress record 7046</title>" in document
    assert "<style>" in document
    assert '<meta name="okr-progress_id" content="7046">' in document
    assert okrcontent.record_from_html(document) == record
    assert document == okrcontent.to_html(record, standalone=True)  # deterministic


RECORD = okrcontent.load_record(
    {
        "progress_id": "7046518160811425812",
        "modify_time": "1728928800000",
        "progress_rate": {"percent": 12.5, "status": 1},
        "trend": "up",
        "content": {"blocks": []},
    }
)
HEAD = (
    '<time datetime="2024-10-14T18:00:00.000Z">2024-10-14 18:00 UTC</time> '
    '<span class="okr-rate okr-progress-at-risk"><span class="okr-percent">12.5%</span> '
    '<span class="okr-bar" aria-hidden="true"><span style="width:12.5%"></span></span> '
    '<span class="okr-status okr-status-at-risk">At risk</span></span></header>'
)


def test_a_records_fragment_opens_with_its_header_holding_every_field() -> None:
    assert okrcontent.to_html(RECORD) == (
        '<header class="okr-record-head" data-okr-progress_id="7046518160811425812" '
        'data-okr-modified="2024-10-14T18:00:00.000Z" data-okr-percent="12.5" '
        'data-okr-status="at_risk" data-okr-extra="{&quot;trend&quot;:&quot;up&quot;}">'
        f'{HEAD}\n<div class="okr-content">\n</div>\n'
    )


def test_a_records_page_holds_its_fields_in_the_head_and_shows_date_percent_and_status() -> None:
    page = okrcontent.to_html(RECORD, standalone=True)
    head, body = page.split("<body>")
    assert (
        '<meta name="okr-progress_id" content="7046518160811425812">\n'
        '<meta name="okr-modified" content="2024-10-14T18:00:00.000Z">\n'
        '<meta name="okr-percent" content="12.5">\n'
        '<meta name="okr-status" content="at_risk">\n'
        '<meta name="okr-extra" content="{&quot;trend&quot;:&quot;up&quot;}">\n'
    ) in head
    assert body.startswith(f'\n<header class="okr-record-head">{HEAD}\n<div class="okr-content">')
    shown = lxml.html.document_fromstring(page).find(".//header")
    assert shown is not None
    assert " ".join(shown.text_content().split()) == "2024-10-14 18:00 UTC 12.5% At risk"


def test_metadata_left_out_is_reported_and_content_has_none() -> None:
    with pytest.warns(okrcontent.LossWarning, match="left out of HTML"):
        fragment = okrcontent.to_html(RECORD, metadata=False)
    assert fragment == '<div class="okr-content">\n</div>\n'
    assert "<header" not in okrcontent.to_html(Content(["x"]), standalone=True)


def test_unknown_types_are_reported() -> None:
    content = Content([okrcontent.UnknownBlock("table", {"type": "table"})])
    with pytest.warns(okrcontent.LossWarning, match=r"blocks\[0\] \(table\): unknown type"):
        okrcontent.to_html(content)
