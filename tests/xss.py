"""XSS vectors, and the check that an HTML output holds nothing active.

Payloads mark their success with ``document.body.setAttribute('data-pwned', ...)`` rather
than ``alert``, so a real browser can be asked afterwards whether any of them ran.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html

from okrcontent import (
    Content,
    DocsLink,
    Extra,
    Gallery,
    Image,
    Mention,
    Paragraph,
    TextRun,
    TextStyle,
    UnknownBlock,
)
from okrcontent.urls import scheme_of

PWN = "document.body.setAttribute('data-pwned','1')"

TEXTS = [
    f"<script>{PWN}</script>",
    f'"><img src=x onerror="{PWN}">',
    f"' onmouseover='{PWN}' x='",
    f"<svg onload={PWN}>",
    f"<iframe src=javascript:{PWN}></iframe>",
    f"</p></div><script>{PWN}</script>",
    "<style>body{display:none}</style>",
    f"<!--<script>{PWN}</script>-->",
    f"]]><script>{PWN}</script>",
    f"&lt;script&gt;{PWN}&lt;/script&gt;",
    f"<img src=x onerror={PWN}//",
    f"<a href='javascript:{PWN}'>x</a>",
]
"""Text that tries to become markup."""

URLS = [
    f"javascript:{PWN}",
    f"JaVaScRiPt:{PWN}",
    f"java\tscript:{PWN}",
    f"java\nscript:{PWN}",
    f"\x01javascript:{PWN}",
    f"  javascript:{PWN}",
    "javascript%3Adocument.body.setAttribute('data-pwned'%2C'1')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    f"javascript&colon;{PWN}",
    f'https://x.test/" onclick="{PWN}',
    f"https://x.test/'><script>{PWN}</script>",
    "file:///etc/passwd",
    f"livescript:{PWN}",
]
"""URLs for links, doc links and images that must never become active."""

ATTRIBUTE_VALUES = [
    f'ou_1" onmouseover="{PWN}',
    f"ou_1'><script>{PWN}</script>",
    f"<img src=x onerror={PWN}>",
]
"""Ids, titles and names that try to break out of an attribute or into markup."""


def content_vectors() -> list[tuple[str, Content, Any]]:
    """(name, content, people) for every vector that can arrive in content."""
    vectors: list[tuple[str, Content, Any]] = []
    for i, text in enumerate(TEXTS):
        vectors.append((f"text {i}", Content([Paragraph([text])]), None))
        vectors.append(
            (f"bold text {i}", Content([Paragraph([TextRun(text, TextStyle(True))])]), None)
        )
    for i, url in enumerate(URLS):
        vectors.append(
            (f"link {i}", Content([Paragraph([TextRun("x", TextStyle(link=url))])]), None)
        )
        vectors.append((f"doc link {i}", Content([Paragraph([DocsLink(url, "title")])]), None))
        vectors.append((f"image {i}", Content([Gallery([Image(url, "boxcn1", 1, 1)])]), None))
    for i, value in enumerate(ATTRIBUTE_VALUES):
        vectors.append((f"mention id {i}", Content([Paragraph([Mention(value, value)])]), None))
        vectors.append(
            (f"doc title {i}", Content([Paragraph([DocsLink("https://d.test", value)])]), None)
        )
        vectors.append(
            (f"image token {i}", Content([Gallery([Image("https://i.test/a.png", value)])]), None)
        )
        vectors.append(
            (f"person name {i}", Content([Paragraph([Mention("ou_1")])]), {"ou_1": value})
        )
    unknown = Content(
        [
            UnknownBlock("html", {"type": "html", "html": f"<script>{PWN}</script>"}),
            Paragraph(
                [TextRun("x", extra=Extra({"onclick": PWN}))], extra=Extra(outer={"html": "<b>"})
            ),
        ]
    )
    vectors.append(("unknown fields and types", unknown, None))
    return vectors


HTML_VECTORS = [
    f'<img src=x onerror="{PWN}">',
    f'<a href="javascript:{PWN}">x</a>',
    f'<a href="jav&#x09;ascript:{PWN}">x</a>',
    f'<a href="&#106;avascript:{PWN}">x</a>',
    f'<a href="  javascript:{PWN}">x</a>',
    f'<a href="JAVASCRIPT:{PWN}">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    f'<a href="data:text/html,<script>{PWN}</script>">x</a>',
    f"<svg><script>{PWN}</script></svg>",
    f'<svg onload="{PWN}"><circle r=1 /></svg>',
    f'<iframe srcdoc="<script>{PWN}</script>"></iframe>',
    f'<object data="javascript:{PWN}"></object>',
    f'<embed src="javascript:{PWN}">',
    f'<form action="javascript:{PWN}"><button>go</button></form>',
    f'<div onclick="{PWN}">click</div>',
    f"<p style=\"background:url('javascript:{PWN}')\">bg</p>",
    '<span style="color: expression(alert(1))">ie</span>',
    f'<math><mi xlink:href="javascript:{PWN}">m</mi></math>',
    f'<img src="javascript:{PWN}">',
    f'<input onfocus="{PWN}" autofocus>',
    f'<details open ontoggle="{PWN}">d</details>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{PWN}">',
    f'<base href="javascript:{PWN}//"><a href="x">rel</a>',
    f"<template><script>{PWN}</script></template>",
    f'<noscript><p title="</noscript><img src=x onerror={PWN}>">n</p></noscript>',
    "<style>@import 'javascript:alert(1)';</style>",
    f'<link rel=stylesheet href="javascript:{PWN}">',
    f"<span data-okr-mention='\" onmouseover=\"{PWN}'>@x</span>",
    f'<span data-okr-href="javascript:{PWN}">inert stays inert</span>',
    f'<a href="https://ok.test" onclick="{PWN}">ok</a>',
    f'<table background="javascript:{PWN}"><tr><td>t</td></tr></table>',
    f'<video><source onerror="{PWN}"></video>',
    f'<p><b onmouseover="{PWN}">bold</b></p>',
    f'<marquee onstart="{PWN}">m</marquee>',
    f'<!--><img src=x onerror="{PWN}">-->',
]
"""Foreign HTML that tries to stay active through a reader-then-writer pass."""

ALLOWED_TAGS = {"div", "p", "ul", "ol", "li", "span", "a", "strong", "s", "br", "img", "input"}
ALLOWED_ATTRIBUTES = {
    "class",
    "style",
    "href",
    "rel",
    "src",
    "width",
    "height",
    "alt",
    "start",
    "type",
    "disabled",
    "checked",
}
URL_ATTRIBUTES = {"href", "src"}
_RGBA = r"rgba\(\d+, \d+, \d+, [\d.e-]+\)"
ALLOWED_STYLE = re.compile(
    r"white-space:pre-wrap(;margin-left:\d+em)?|list-style-type:none|"
    rf"(color|background-color): {_RGBA}(; background-color: {_RGBA})?"
)


def active_parts(fragment: str, also_allowed: frozenset[str] = frozenset()) -> list[str]:
    """Everything in ``fragment`` that could run, load or navigate: [] when it is safe
    (``also_allowed``: harmless attributes another renderer writes, such as ``title``)."""
    problems = []
    if re.search(
        r"<\s*(script|style|iframe|object|embed|svg|math|base|meta|link|form)\b",
        fragment,
        re.IGNORECASE,
    ):
        problems.append("a dangerous tag in the source")
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag not in ALLOWED_TAGS:
            problems.append(f"tag <{el.tag}>")
        if el.tag == "input" and (el.get("type") != "checkbox" or "disabled" not in el.attrib):
            problems.append("an input that is not a disabled checkbox")
        for name, value in el.attrib.items():
            if name.startswith("data-okr-"):
                continue
            if name not in ALLOWED_ATTRIBUTES and name not in also_allowed:
                problems.append(f"attribute {name}")
            if name in URL_ATTRIBUTES and scheme_of(value) not in (None, "http", "https", "mailto"):
                problems.append(f"{name}={value!r}")
            if name == "style" and not ALLOWED_STYLE.fullmatch(value):
                problems.append(f"style={value!r}")
    return problems
