"""The class report as one static HTML page a teacher opens offline: tables and inline SVG bar
charts, no script, no font, nothing loaded from anywhere (a Content-Security-Policy says so too).
Every text on it has passed the gate (`report.build`) and is HTML-escaped here."""

from __future__ import annotations

from html import escape

from gradquest.classroom.report import Report
from gradquest.game.messages import say

BAR_W, BAR_H, LABEL_W = 360, 18, 230  # LABEL_W: the narrowest room for labels


def _bars(rows: list[tuple[str, float, float, str]]) -> str:
    """A horizontal bar chart: (label, value, out of, the value as said) per row."""
    height = BAR_H * len(rows) + 4
    left = max([LABEL_W] + [7 * len(label) + 10 for label, *_ in rows])  # the longest label clear of the bars
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + BAR_W + 90}" height="{height}" '
             f'role="img" font-family="sans-serif" font-size="12">']
    for i, (label, value, whole, said) in enumerate(rows):
        y = i * BAR_H + 2
        w = 0 if not whole else round(BAR_W * value / whole)
        parts.append(f'<text x="0" y="{y + 13}">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y}" width="{BAR_W}" height="{BAR_H - 4}" fill="#eee"/>'
                     f'<rect x="{left}" y="{y}" width="{w}" height="{BAR_H - 4}" fill="#3a7"/>'
                     f'<text x="{left + BAR_W + 6}" y="{y + 13}">{escape(said)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(head: list[str], rows: list[list]) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def as_html(report: Report, lang: str = "en") -> str:
    def said(key: str, **fields) -> str:
        return say(f"report.{key}", lang, **fields)

    def heads(*keys: str) -> list[str]:
        return [said(f"col.{key}") for key in keys]

    title = said("title")
    sections = [f"<h1>{escape(title)}</h1>", f"<h2>{escape(said('first_try'))}</h2>",
                _bars([(f"{a.level} {a.label or a.ask}", a.first_try, a.reached, f"{a.first_try}/{a.reached}")
                       for a in report.asks])]
    sections.append(f"<h2>{escape(said('asks'))}</h2>")
    sections.append(_table(heads("level", "ask", "question", "reached", "first", "attempts", "hints", "reveals"),
                           [[a.level, a.ask, a.label, a.reached, a.first_try, a.mean_attempts, a.hints, a.reveals]
                            for a in report.asks]))
    for a in report.asks:
        if a.slips:
            named = f"{a.label} ({a.ask})" if a.label else a.ask
            sections.append(f"<h3>{escape(said('slips_in', level=a.level, ask=named))}</h3>")
            sections.append(_bars([(s.name, s.students, a.reached, said("n_students", n=s.students)) for s in a.slips]))
            sections.append(_table(heads("slip", "students", "example"), [[s.name, s.students, s.example] for s in a.slips]))
    sections.append(f"<h2>{escape(said('students'))}</h2>")
    sections.append(_table(heads("student", "id", "done", "stars", "minutes"),
                           [[s.name, s.id, s.levels_done, s.stars, round(s.seconds / 60, 1)] for s in report.students]))
    return (f"<!DOCTYPE html>\n<html lang=\"{'zh' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
            "</style></head><body>\n" + "\n".join(sections) + "\n</body></html>\n")
