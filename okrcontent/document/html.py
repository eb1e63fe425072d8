"""A document as a standalone HTML page: metadata in ``<head>``, a header, then sections.

Shape::

    <head> ... <meta name="okr-user" content="ou_..."> (every metadata field) <style>
    <header class="okr-document-head"><h1>...</h1><p class="okr-facts">...</p></header>
    <main>
    <section class="okr-section okr-objective" id="o1">
      <h2 class="okr-heading"><span class="okr-label">O1</span> title</h2>
      <p class="okr-facts">...</p> <div class="okr-body">...</div> <div class="okr-notes">...</div>
      <article class="okr-progress okr-progress-normal" id="p1">
        <h3 class="okr-progress-head"><time datetime="...">...</time> 50% [bar] Normal</h3>
        <div class="okr-content">...</div>
      </article>
      <section class="okr-section okr-key-result" id="o1-kr1">...</section>
    </section>
    </main>

Content (bodies, notes, records) is :func:`okrcontent.to_html`'s fragment as it is, so it
is escaped, its links pass :func:`okrcontent.urls.safe_href`, and its lists nest and number
as everywhere else; a heading's title is the inline HTML of the writer's one paragraph. The
frame escapes every text and attribute it adds; the one style it writes (the width of a
progress bar) is made of a number. The stylesheet is the writer's (:data:`STYLESHEET`'s first
part, for the content) and the document's own.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import Any

from ..markup import attribute
from ..metadata import iso
from ..model import Content, Element, Paragraph
from ..people import People
from ..writers.html import STYLESHEET as CONTENT_STYLESHEET
from ..writers.html import meta, rate, to_html
from .outline import (
    WORDS,
    Entry,
    Fact,
    Kind,
    Outline,
    Section,
    heading_people,
)

__all__ = ["STYLESHEET", "render"]

STYLESHEET = (
    CONTENT_STYLESHEET
    + """\
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Arial,
       "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
       max-width: 50em; padding: 0 1.5em 4em; }
h1, h2, h3, h4, h5, h6 { line-height: 1.4; margin: 0; font-weight: 600; }
h1, h2, h3, h4, h5, h6, .okr-overview td { overflow-wrap: anywhere; }
.okr-document-head { border-bottom: 1px solid #dee0e3; padding: 1em 0 .8em; margin-bottom: 1em; }
.okr-document-head h1 { font-size: 1.75em; }
.okr-facts { display: flex; flex-wrap: wrap; gap: .2em 1.2em; margin: .35em 0 .8em;
             color: #646a73; font-size: .9em; }
.okr-facts b { color: #1f2329; font-weight: 600; }
.okr-objective { margin-top: 2.4em; }
.okr-objective > .okr-heading { font-size: 1.35em; }
.okr-key-result, .okr-target { margin-top: 1.6em; padding-left: 1em;
                               border-left: 3px solid #e1eaff; }
.okr-key-result > .okr-heading, .okr-target > .okr-heading { font-size: 1.1em; }
.okr-other > .okr-heading { font-size: 1.35em; }
.okr-label { display: inline-block; margin-right: .2em; padding: 0 .4em; border-radius: 4px;
             background: #3370ff; color: #fff; font-size: .78em; vertical-align: .1em; }
.okr-key-result .okr-label { background: #e1eaff; color: #245bdb; }
.okr-heading .okr-mention, .okr-heading a { color: #3370ff; text-decoration: none; }
.okr-body { margin: .2em 0 .6em; }
.okr-notes { margin: .6em 0 1em; padding: .6em 1em; border-radius: 6px; background: #f5f6f7; }
.okr-notes-label { margin: 0 0 .25em; color: #646a73; font-size: .85em; font-weight: 600; }
.okr-progress { margin: .8em 0; padding: .7em 1em .4em; border: 1px solid #dee0e3;
                border-radius: 8px; }
.okr-progress-head { display: flex; flex-wrap: wrap; align-items: center; gap: .3em .8em;
                     margin: 0 0 .45em; color: #646a73; font-size: .85em; font-weight: 500; }
.okr-empty { margin: 0 0 .4em; color: #8f959e; }
.okr-content li > ul, .okr-content li > ol { margin-bottom: 0; }
.okr-overview table { width: 100%; border-collapse: collapse; font-size: .92em; }
.okr-overview th { padding: 0 .6em .3em; border-bottom: 1px solid #dee0e3; color: #8f959e;
                   font-size: .85em; font-weight: 500; text-align: left; }
.okr-overview td { padding: .4em .6em; border-bottom: 1px solid #eff0f1; }
.okr-overview td:first-child { width: 100%; }
.okr-overview td + td { white-space: nowrap; font-size: .9em; }
.okr-overview-objective td:first-child { font-weight: 600; }
.okr-overview-key-result td:first-child { padding-left: 1.6em; }
.okr-overview a.okr-label { text-decoration: none; }
.okr-overview .okr-percent { min-width: 2.8em; text-align: right; }
.okr-overview .okr-key-result, .okr-overview-key-result .okr-label { background: #e1eaff;
                                                                     color: #245bdb; }
@media (max-width: 40em) { .okr-overview .okr-bar { display: none; } }
@media print { .okr-progress { break-inside: avoid; } body { max-width: none; } }
"""
)
"""The page's stylesheet: the content writer's, then the document's."""


def render(outline: Outline, people: People) -> str:
    """The whole page."""
    out = [
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(outline.title)}</title>",
        *(_meta(name, value) for name, value in outline.fields.items()),
        f"<style>\n{STYLESHEET}</style>\n</head>\n<body>",
        '<header class="okr-document-head">',
        f"<h1>{_text(outline.title)}</h1>",
    ]
    if outline.facts:
        out.append(_facts(outline.facts))
    out.append("</header>")
    out.extend(_overview(outline.sections, people))
    out.append("<main>")
    for section in outline.sections:
        _section(section, people, out)
    out.append("</main>\n</body>\n</html>\n")
    return "\n".join(out)


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _meta(name: str, value: Any) -> str:
    return meta(name, iso(value) if isinstance(value, dt.datetime) else str(value))


_ONE_PARAGRAPH = re.compile(r'<div class="okr-content">\n<p[^>]*>(.*)</p>\n</div>\n', re.DOTALL)


def _inline(elements: Sequence[Element], people: People) -> str:
    """The writer's HTML of one paragraph, without the paragraph."""
    fragment = to_html(Content([Paragraph(elements)]), people=people)
    match = _ONE_PARAGRAPH.fullmatch(fragment)
    return match.group(1) if match else fragment


def _heading(section: Section, people: People) -> str:
    level = section.level
    parts = []
    if section.label:
        parts.append(f'<span class="okr-label">{_text(section.label)}</span>')
    if section.title:
        parts.append(_inline(section.title, heading_people(people)))
    return f'<h{level} class="okr-heading">{" ".join(parts)}</h{level}>'


def _facts(facts: Sequence[Fact]) -> str:
    spans = " ".join(
        f'<span class="okr-fact okr-fact-{attribute(fact.name)}">'
        f"{_text(fact.label)} <b>{_text(fact.text)}</b></span>"
        for fact in facts
    )
    return f'<p class="okr-facts">{spans}</p>'


def _overview(sections: Sequence[Section], people: People) -> list[str]:
    """A table of the objectives and key results, each linked to its section, with its
    score and its latest progress; none for a document without objectives."""
    rows = []
    for section in sections:
        if section.kind is not Kind.OBJECTIVE:
            continue
        for item in (section, *section.children):
            score = next((f.text for f in item.facts if f.name == "score"), "")
            latest = _progress(item.progress[0]) if item.progress else ""
            title = _inline(item.title, heading_people(people)) if item.title else ""
            rows.append(
                f'<tr class="okr-overview-{item.kind.value}"><td>'
                f'<a class="okr-label" href="#{attribute(item.anchor)}">{_text(item.label)}</a> '
                f"{title}</td><td>{_text(score)}</td><td>{latest}</td></tr>"
            )
    if not rows:
        return []
    head = f"<tr><th></th><th>{_text(WORDS['score'])}</th><th>{_text(WORDS['latest'])}</th></tr>"
    return [
        f'<nav class="okr-overview" aria-label="{attribute(WORDS["overview"])}">',
        f"<table>\n<thead>{head}</thead>\n<tbody>",
        *rows,
        "</tbody>\n</table>\n</nav>",
    ]


def _progress(entry: Entry) -> str:
    """An entry's percent, bar and status, as a record's header shows them."""
    return rate(entry.percent, entry.status)


def _entry(entry: Entry, people: People) -> str:
    parts = []
    if entry.when is not None:
        exact = entry.when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")
        parts.append(
            f'<time datetime="{exact.replace("+00:00", "Z")}">{_text(entry.when_text)}</time>'
        )
    else:
        parts.append(f"<span>{_text(entry.when_text)}</span>")
    parts.append(_progress(entry))
    level = entry.level
    content = entry.content
    body = (
        to_html(content, people=people).rstrip("\n")
        if content is not None
        else f'<p class="okr-empty">{_text(WORDS["empty"])}</p>'
    )
    return (
        f'<article class="okr-progress" id="{attribute(entry.anchor)}">\n'
        f'<h{level} class="okr-progress-head">{" ".join(parts)}</h{level}>\n{body}\n</article>'
    )


def _section(section: Section, people: People, out: list[str]) -> None:
    out.append(
        f'<section class="okr-section okr-{section.kind.value}" id="{attribute(section.anchor)}">'
    )
    if section.heading:
        out.append(_heading(section, people))
    if section.facts:
        out.append(_facts(section.facts))
    if section.body is not None:
        out.append(f'<div class="okr-body">\n{to_html(section.body, people=people)}</div>')
    if section.notes is not None:
        out.append(
            f'<div class="okr-notes">\n<p class="okr-notes-label">{_text(WORDS["notes"])}</p>\n'
            f"{to_html(section.notes, people=people)}</div>"
        )
    out.extend(_entry(entry, people) for entry in section.progress)
    for child in section.children:
        _section(child, people, out)
    out.append("</section>")
