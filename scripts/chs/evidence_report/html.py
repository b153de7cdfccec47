"""The report as one self-contained HTML page: inline CSS, images as data: URIs, no network.

A Content-Security-Policy forbids every fetch but data: images, so the page shows the same
offline. A small inline script checks, once the page has loaded, that every plot rendered
(each <img> complete with a natural width, each <svg> with a non-empty box) and writes the
count and the kinds that rendered into <div id="render-check">, beside the number of plots
the page promised (data-expected), for people and for the headless-browser test.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from chs.evidence_report.model import Plot, Section, Table

CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1120px; color: #222; }
h1 { margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
nav ol { columns: 2; }
section { border-top: 1px solid #ccc; margin-top: 2em; }
figure.plot { margin: 1.5em 0; display: grid; grid-template-columns: 760px 1fr; gap: 1.5em; }
figure.plot img { max-width: 760px; display: block; }
figure.plot figcaption { grid-column: 1 / -1; }
figure.plot figcaption h3 { margin: 0 0 0.2em 0; }
.how { color: #555; font-style: italic; margin: 0; }
.facts { font-size: 0.9em; }
.facts li { margin-bottom: 0.4em; }
.note { background: #fff6d9; border-left: 4px solid #e5a50a; padding: 0.6em 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
caption { caption-side: bottom; color: #555; text-align: left; padding-top: 0.3em; }
#render-check { color: #555; font-size: 0.85em; margin-top: 2em; }
"""

POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

RENDER_CHECK = """
window.addEventListener('load', function () {
  var rendered = [];
  document.querySelectorAll('figure.plot').forEach(function (figure) {
    var img = figure.querySelector('img');
    var svg = figure.querySelector('svg');
    var ok = false;
    if (img) { ok = img.complete && img.naturalWidth > 0; }
    else if (svg) { var box = svg.getBoundingClientRect(); ok = box.width > 0 && box.height > 0; }
    figure.setAttribute('data-rendered', ok ? 'yes' : 'no');
    if (ok) { rendered.push(figure.getAttribute('data-kind')); }
  });
  var check = document.getElementById('render-check');
  check.setAttribute('data-rendered', String(rendered.length));
  check.setAttribute('data-rendered-kinds', rendered.join(' '));
  check.textContent = rendered.length + ' of ' + check.getAttribute('data-expected')
    + ' plots rendered';
});
"""


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _plot(plot: Plot) -> str:
    facts = "".join(f"<li>{escape(fact)}</li>" for fact in plot.facts)
    aside = f'<ul class="facts">{facts}</ul>' if facts else ""
    return (
        f'<figure class="plot" id="{escape(plot.id)}" data-kind="{escape(plot.kind)}">'
        f"<figcaption><h3>{escape(plot.title)}</h3>"
        f'<p class="how">{escape(plot.caption)}</p></figcaption>'
        f'<img src="{plot.image}" alt="{escape(plot.alt)}">'
        f'<div class="numbers">{aside}</div>'
        "</figure>" + (_table(plot.table) if plot.table else "")
    )


def _section(section: Section) -> str:
    parts = [f'<section id="{escape(section.id)}"><h2>{escape(section.title)}</h2>']
    parts.append(f"<p>{escape(section.intro)}</p>")
    parts += [f'<p class="note">{escape(note)}</p>' for note in section.notes]
    parts += [_plot(plot) for plot in section.plots]
    parts += [_table(table) for table in section.tables]
    parts.append("</section>")
    return "\n".join(parts)


def render(title: str, meta: Sequence[str], sections: Sequence[Section]) -> str:
    """The page; deterministic for the same sections (no clock, no random ids)."""
    plots = [plot for section in sections for plot in section.plots]
    kinds = " ".join(sorted({plot.kind for plot in plots}))
    contents = "".join(
        f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in sections
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
            *(f'<p class="meta">{escape(line)}</p>' for line in meta),
            f"<nav><ol>{contents}</ol></nav>",
            *(_section(section) for section in sections),
            f'<div id="render-check" data-expected="{len(plots)}" data-kinds="{kinds}"'
            ' data-rendered="0">plots not checked (scripts off?)</div>',
            f"<script>{RENDER_CHECK}</script>",
            "</body></html>",
            "",
        ]
    )
