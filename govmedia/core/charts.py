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


def line_chart_svg(
    title: str,
    labels: list[str],
    values: list[float],
    *,
    width: int = 640,
    height: int = 220,
    color: str = "#b4232a",
    size: int = 12,
) -> str:
    """A line chart of one series (a month per point), its axis labelled at both ends and its
    highest value marked; every point carries its value as a tooltip."""
    if not values:
        return ""
    chart_id = f"chart-{next(_ids)}"
    left, right, top, bottom = 48, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(values) or 1
    step = plot_w / max(len(values) - 1, 1)
    points = [
        (round(left + i * step, 1), round(top + plot_h - plot_h * v / peak, 1))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{x},{y}" for x, y in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{chart_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family=\'{FONT}\' font-size="{size}">',
        f'<title id="{chart_id}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#d9dee5"/>',
        f'<text x="{left - 6}" y="{top + size}" text-anchor="end" fill="#374151">{escape(_short(peak))}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" fill="#374151">0</text>',
        f'<polyline points="{path}" fill="none" stroke="{escape(color)}" stroke-width="2"/>',
    ]
    for (x, y), label, value in zip(points, labels, values, strict=True):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3" fill="{escape(color)}">'
            f"<title>{escape(label)}：{escape(_short(value))}</title></circle>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 8}" fill="#374151">{escape(labels[0])}</text>'
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end" fill="#374151">{escape(labels[-1])}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _short(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or value >= 100 else f"{value:.2f}"
