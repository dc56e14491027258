"""The review as one self-contained HTML file: opens offline, charts interactive, prints to A4.

plotly.js is inlined once; no font, script or style is fetched from anywhere.
Every text from a workbook is escaped, never rendered as HTML. The arrow keys
step through the sections, and P switches to full-screen slides for a projector.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from wenming.figures import changes
from wenming.figures.review import Review
from wenming.render import safe, slides
from wenming.text import t

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --line: #d9d9d9; --accent: #0072B2; --bad: #D55E00; --good: #009E73; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: var(--ink); background: #fff; font-size: 18px; line-height: 1.5; }
header, section { max-width: 1200px; margin: 0 auto; padding: 24px 32px; }
header h1 { font-size: 34px; margin: 0 0 4px; }
header p { color: var(--muted); margin: 0; }
section { border-top: 1px solid var(--line); }
h2 { font-size: 28px; margin: 8px 0 16px; }
h3 { font-size: 22px; margin: 16px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .label { color: var(--muted); font-size: 16px; }
.card .value { font-size: 32px; font-weight: 700; }
.card .delta { font-size: 15px; }
.summary { font-size: 20px; background: #f4f8fb; border-left: 6px solid var(--accent); padding: 12px 16px; }
table { border-collapse: collapse; width: 100%; font-size: 16px; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #1F4E79; color: #fff; }
td.num { text-align: right; white-space: nowrap; }
.boards { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.chart { width: 100%; }
.empty, .note { color: var(--muted); }
footer { max-width: 1200px; margin: 0 auto; padding: 16px 32px 48px; color: var(--muted); font-size: 14px; }
@media screen {
  body.present header, body.present footer { display: none; }
  body.present section { display: none; max-width: none; min-height: 100vh; padding: 3vh 4vw; border: 0; font-size: 2.2vh; }
  body.present section.current { display: block; }
  body.present h2 { font-size: 5vh; }
}
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11pt; }
  header, section, footer { max-width: none; padding: 0; }
  section { break-before: page; border: 0; }
  h2 { font-size: 18pt; } .card .value { font-size: 20pt; }
  table { font-size: 9pt; } tr, .card, .chart { break-inside: avoid; }
}
"""

SCRIPT = """
(function () {
  var sections = Array.prototype.slice.call(document.querySelectorAll('section'));
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(sections.length - 1, i));
    sections.forEach(function (s, k) { s.classList.toggle('current', k === current); });
    if (document.body.classList.contains('present')) { window.dispatchEvent(new Event('resize')); }
    else { sections[current].scrollIntoView({behavior: 'smooth'}); }
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') { e.preventDefault(); show(current + 1); }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { e.preventDefault(); show(current - 1); }
    else if (e.key === 'p' || e.key === 'P') { document.body.classList.toggle('present'); show(current); }
  });
  window.addEventListener('beforeprint', function () { window.dispatchEvent(new Event('resize')); });
  if (location.hash === '#present') { document.body.classList.add('present'); }
  show(0);
})();
"""

LONG_TEXT = slides.LONG_TEXT  # longer cells (a task, a problem) may wrap; names, dates and numbers never do


_e = safe.html  # every text of the page, the workbook's and ours, as HTML text


def _figure(figure: go.Figure) -> str:
    return pio.to_html(
        figure,
        include_plotlyjs=False,
        full_html=False,
        default_height=f"{figure.layout.height or 420}px",
        config={"displaylogo": False, "responsive": True},
    )


def table_html(caption: str, frame: pd.DataFrame, columns: Iterable[str]) -> str:
    """A captioned table, every cell escaped."""
    return (f"<h3>{_e(caption)}</h3>" if caption else "") + _table(frame, columns)


def _change_html(change: changes.Change) -> str:
    """A change in the colour of its meaning (changes.COLOURS), its arrow showing the direction."""
    tone = change.tone or "flat"
    return f'<span class="change {tone}" style="color: {change.colour}">{_e(change.shown())}</span>'


def headline_html(review: Review) -> str:
    """The headline cards and the 通报 paragraph."""
    return _cards(review) + summary_html(review)


def cards_html(review: Review) -> str:
    """The headline cards alone (a projector shows the 通报 paragraph on a screen of its own)."""
    return _cards(review)


def summary_html(review: Review) -> str:
    return f'<p class="summary">{_e(review.summary())}</p>'


def _table(frame: pd.DataFrame, columns: Iterable[str]) -> str:
    columns = [c for c in columns if c in frame]
    if frame.empty:
        return f'<p class="empty">{_e(t("review.none"))}</p>'
    head = "".join(f"<th>{_e(t(f'col.{c}'))}</th>" for c in columns)
    rows = []
    for record in slides.readable(frame[columns]).itertuples(index=False):
        cells = []
        for value in record:
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            text = slides.cell(value)
            kind = "num" if number else "long" if len(text) > LONG_TEXT else ""
            cells.append(f'<td class="{kind}">{_e(text)}</td>' if kind else f"<td>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cards(review: Review) -> str:
    cards = []
    for card in slides.cards(review):
        month = t("review.delta_month", change=_change_html(card.month))
        quarter = t("review.delta_quarter", change=_change_html(card.quarter))
        cards.append(
            f'<div class="card"><div class="label">{_e(card.label)}</div><div class="value">{_e(card.value)}</div>'
            f'<div class="delta">{month}；{quarter}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def render(review: Review, title: str | None = None) -> str:
    """The whole review as one HTML document."""
    title = title or t("review.title", period=review.period.label())
    sections = []
    for slide in slides.slides(review):
        body = [headline_html(review)] if slide.key == "headline" else []
        if slide.note:
            body.append(f'<p class="note">{_e(slide.note)}</p>')
        body.extend(table_html(caption, frame, columns) for caption, frame, columns in slide.tables)
        body.extend(f'<div class="chart">{_figure(figure)}</div>' for figure in slide.figures)
        sections.append(f'<section id="{_e(slide.key)}"><h2>{_e(slide.title)}</h2>{"".join(body)}</section>')
    frozen = review.frozen
    note = t("review.frozen_note", when=frozen["frozen_at"], user=frozen["frozen_by"]) if frozen else ""
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f"<style>{CSS}</style><script>{plotly.offline.get_plotlyjs()}</script></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(t('review.as_of', as_of=review.as_of.isoformat()))} {_e(note)}</p>"
        f"<p>{_e(t('review.keys_hint'))}</p></header>"
        f"{''.join(sections)}"
        f"<footer>{_e(t('review.footer'))}</footer><script>{SCRIPT}</script></body></html>"
    )
