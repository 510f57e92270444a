"""`factx report`: one self-contained, offline HTML page of the store.

The page is Jinja2 (autoescape on) over `templates/report.html.j2` with one inline
stylesheet whose SHA-256 goes into a Content-Security-Policy meta tag; it has no script,
no remote load and no `style=""` attribute. Charts are inline SVG, each with an equivalent
table. Reads SQLite only: no spaCy, no pint.

Article text is untrusted: every article-derived string reaches the page through
autoescape or `safety.html_text` (the highlighter), and invisible control and bidi
characters become visible `‹U+202E›` tokens, so they show literally instead of acting.

Modules by job: `highlight` (the article text), `charts` (the conflicts figures),
`timeline`, `page` (the store read and the template); numbers and units come from
`factx.formatting`, escaping from `factx.safety`.
"""

from factx.report.charts import conflict_figure, nice_ticks, value_scale
from factx.report.highlight import Mark, highlight
from factx.report.page import environment, is_factx_report, render_report
from factx.report.timeline import time_ticks, timeline

__all__ = ["Mark", "conflict_figure", "environment", "highlight", "is_factx_report", "nice_ticks",
           "render_report", "time_ticks", "timeline", "value_scale"]
