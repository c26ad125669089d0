"""Output formats for the CLI: terminal text, plain text, HTML and JSON.

Steps: `clean_for_terminal` makes article text safe to print (control
characters and ANSI escapes never reach the terminal raw); `mark` wraps the
highlight spans of a string; `render_result` lays out a SearchResult in the
chosen format. The library never prints; only the CLI calls this module.
"""

from __future__ import annotations

import html
import re

import orjson

FORMATS = ("terminal", "plain", "html", "json")

# C0 controls except \t and \n, DEL, C1 controls. Replaced one-for-one so that
# highlight offsets stay valid.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BOLD, RESET = "\x1b[1m", "\x1b[0m"
DIM = "\x1b[2m"


def clean_for_terminal(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def mark(text: str, spans, before: str, after: str, escape=lambda s: s) -> str:
    """`text` with every (start, end) span wrapped in before/after."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [escape(text[last:start]), before, escape(text[start:end]), after]
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def to_json(data) -> str:
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()


def render_result(result, fmt: str, color: bool) -> str:
    if fmt == "json":
        return to_json(result.to_dict())
    if fmt == "html":
        return _html(result)
    return _text(result, color and fmt == "terminal")


def _text(result, color: bool) -> str:
    on, off = (BOLD, RESET) if color else ("", "")
    partial = f" (+{result.partial} with some of the words)" if result.partial else ""
    lines = [f"{result.total} articles for {clean_for_terminal(result.query)!r}{partial} "
             f"({result.took_ms:.0f} ms)"]
    lines += [f"note: {clean_for_terminal(n)}" for n in result.notes]
    if result.suggestion:
        lines.append(f"Did you mean: {clean_for_terminal(result.suggestion.query)}")
    for rank, hit in enumerate(result.hits, 1):
        title = mark(clean_for_terminal(hit.title), hit.title_highlights, on, off)
        lines.append("")
        lines.append(f"{rank}. {title}")
        lines.append("   " + " · ".join(_hit_meta(hit)))
        lines.append("   " + mark(clean_for_terminal(hit.snippet), hit.highlights, on, off))
    if result.facets:
        lines += [""] + _facet_lines(result.facets)
    return "\n".join(lines)


def _hit_meta(hit) -> list[str]:
    meta = [_date_label(hit)]
    if hit.partial:
        meta.append(f"cocok {hit.matched} dari {hit.of} kata")
    if hit.source:
        meta.append(clean_for_terminal(hit.source))
    if hit.url:
        meta.append(clean_for_terminal(hit.url))
    if hit.duplicates:
        meta.append(f"+{len(hit.duplicates)} serupa")
    if hit.names:
        meta.append("names: " + ", ".join(clean_for_terminal(n) for n in hit.names[:3]))
    return meta


def _date_label(hit) -> str:
    if hit.date is None:
        return "undated"
    label = hit.date.strftime("%Y-%m-%d %H:%M") + " " + (_zone_name(hit.date))
    return label + (" (inferred)" if hit.date_inferred else "")


def _zone_name(date) -> str:
    offset = date.utcoffset().total_seconds() / 3600 if date.utcoffset() is not None else 7
    return {7: "WIB", 8: "WITA", 9: "WIT"}.get(offset, date.strftime("%z"))


def _facet_lines(facets: dict) -> list[str]:
    lines = ["Sources: " + ", ".join(f"{clean_for_terminal(k)} {v}" for k, v in facets["sources"][:10])]
    months = facets["months"]
    if months:
        top = max(v for _, v in months)
        lines.append("Months:")
        for month, count in months[-24:]:
            lines.append(f"  {month} {'█' * max(1, round(20 * count / top))} {count}")
    if facets["names"]:
        lines.append("Names: " + ", ".join(f"{clean_for_terminal(k)} {v}" for k, v in facets["names"]))
    return lines


def _html(result) -> str:
    esc = html.escape
    parts = [f'<section class="carinews-results" data-total="{result.total}">']
    for note in result.notes:
        parts.append(f'<p class="note">{esc(note)}</p>')
    if result.suggestion:
        parts.append(f'<p class="suggestion">Did you mean: {esc(result.suggestion.query)}</p>')
    for hit in result.hits:
        title = mark(hit.title, hit.title_highlights, "<mark>", "</mark>", esc)
        safe_url = hit.url and hit.url.lower().startswith(("http://", "https://"))
        link = f'<a href="{esc(hit.url, quote=True)}">{title}</a>' if safe_url else title
        meta = esc(" · ".join(_hit_meta(hit)))
        snippet = mark(hit.snippet, hit.highlights, "<mark>", "</mark>", esc)
        parts.append(f'<article data-id="{esc(hit.id, quote=True)}"><h3>{link}</h3>'
                     f'<p class="meta">{meta}</p><p class="snippet">{snippet}</p></article>')
    parts.append("</section>")
    return "\n".join(parts)
