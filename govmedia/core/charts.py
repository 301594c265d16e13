"""Bar charts as inline SVG, drawn on the server: no chart library, no script, no CDN.

Pure (no Django), so it is tested alone. The chart is a picture of numbers that the page also
prints in a table, so it carries a title for screen readers and nothing more.
"""

import itertools
from html import escape

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
_ids = itertools.count(1)


def _text_width(text: str, size: int) -> float:
    """Rough rendered width: CJK and full-width characters are square, the rest about half."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def bar_chart_svg(
    title: str,
    rows: list[tuple[str, int]],
    *,
    width: int = 560,
    bar: int = 20,
    gap: int = 8,
    color: str = "#b4232a",
    size: int = 13,
) -> str:
    """A horizontal bar chart of (label, value) rows, each bar labelled with its value."""
    chart_id = f"chart-{next(_ids)}"
    if not rows:
        return ""
    label_width = min(int(max(_text_width(label, size) for label, _ in rows)) + 12, width // 2)
    value_width = int(_text_width(str(max(v for _, v in rows)), size)) + 10
    plot = max(width - label_width - value_width, 40)
    peak = max((value for _, value in rows), default=0) or 1
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{chart_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family=\'{FONT}\' font-size="{size}">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="#d9dee5"/>',
    ]
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar + gap)
        length = round(plot * value / peak, 1)
        middle = y + bar / 2
        parts.append(
            f'<text x="{label_width - 6}" y="{middle}" text-anchor="end" dominant-baseline="central" '
            f'fill="#1f2933">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="{escape(color)}" rx="2">'
            f"<title>{escape(label)}：{value}</title></rect>"
            f'<text x="{label_width + length + 4}" y="{middle}" dominant-baseline="central" '
            f'fill="#374151">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
