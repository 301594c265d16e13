"""A chart as a PNG picture for the DOCX (Word has no vector format python-docx can write):
drawn with Pillow at print resolution, labels in the local CJK font, the same geometry as the
PDF's vector chart (pdf_render._Document.chart)."""

from __future__ import annotations

import functools
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from .fonts import CjkFontNotFound, find_cjk_font
from .layout import CHART_COLOURS, CHART_H, TEXT_W
from .model import TICKS, Chart

DPI = 200
PX_PER_MM = DPI / 25.4
LABEL_MM = 3.5  # label text height


@functools.lru_cache(maxsize=4)
def _font(px: int):
    try:
        face = find_cjk_font()
    except CjkFontNotFound:  # labels without Chinese glyphs, rather than no document at all
        return ImageFont.load_default()
    return ImageFont.truetype(str(face.path), px, index=face.index)


def render_chart_png(chart: Chart) -> bytes:
    width, height = round(TEXT_W * PX_PER_MM), round(CHART_H * PX_PER_MM)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(round(LABEL_MM * PX_PER_MM))
    for shape in chart_shapes(chart, TEXT_W, CHART_H):
        kind, points, colour, text = shape
        scaled = [(x * PX_PER_MM, y * PX_PER_MM) for x, y in points]
        if kind == "rect":
            draw.rectangle([scaled[0], scaled[1]], fill=colour)
        elif kind == "line":
            draw.line(scaled, fill=colour, width=max(1, round(0.4 * PX_PER_MM)))
        elif kind == "text":
            (x, y), anchor = scaled[0], text[1]
            draw.text((x, y), text[0], fill=colour, font=font, anchor=anchor)
    buffer = BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def chart_shapes(chart: Chart, width: float, height: float) -> list[tuple]:
    """The chart as shapes in mm from its top-left corner, for either renderer:
    ("rect", [(x0, y0), (x1, y1)], colour, None), ("line", points, colour, None),
    ("text", [(x, y)], colour, (text, anchor)) with a Pillow anchor (ms: middle-baseline …)."""
    black, grey = (0, 0, 0), (0x99, 0x99, 0x99)
    left, right, top, bottom = 14.0, 4.0, 9.0, 12.0
    plot_w, plot_h = width - left - right, height - top - bottom
    y0 = top + plot_h
    shapes: list[tuple] = [("text", [(width / 2, 5.0)], black, (chart.title, "ms"))]
    peak = chart.top
    for tick in range(TICKS + 1):
        value = peak * tick / TICKS
        y = y0 - plot_h * tick / TICKS
        shapes.append(("line", [(left, y), (left + plot_w, y)], grey, None))
        shapes.append(("text", [(left - 1.5, y + 1.2)], black, (_number(value), "rs")))
    count = max(1, len(chart.labels))
    slot = plot_w / count
    every = max(1, round(count / 12))  # at most about 12 labels under the axis
    for index, label in enumerate(chart.labels):
        if index % every == 0:
            x = left + slot * (index + 0.5)
            shapes.append(("text", [(x, y0 + 5.0)], black, (label, "ms")))
    series = chart.series
    if chart.kind == "bar":
        bar = slot * 0.7 / max(1, len(series))
        for s_index, s in enumerate(series):
            colour = CHART_COLOURS[s_index % len(CHART_COLOURS)]
            for index, value in enumerate(s.values):
                x = left + slot * index + slot * 0.15 + bar * s_index
                y = y0 - plot_h * value / peak
                if value > 0:
                    shapes.append(("rect", [(x, y), (x + bar, y0)], colour, None))
    else:
        for s_index, s in enumerate(series):
            colour = CHART_COLOURS[s_index % len(CHART_COLOURS)]
            points = [
                (left + slot * (index + 0.5), y0 - plot_h * value / peak)
                for index, value in enumerate(s.values)
            ]
            if len(points) > 1:
                shapes.append(("line", points, colour, None))
            for x, y in points:
                shapes.append(("rect", [(x - 0.6, y - 0.6), (x + 0.6, y + 0.6)], colour, None))
    shapes.append(("line", [(left, y0), (left + plot_w, y0)], black, None))
    # The legend, top right: a swatch and the series' name each.
    x = width - right
    for s_index, s in reversed(list(enumerate(series))):
        colour = CHART_COLOURS[s_index % len(CHART_COLOURS)]
        x -= 4.0 * len(s.name) + 7.0
        shapes.append(("rect", [(x, top - 4.5), (x + 3.0, top - 1.5)], colour, None))
        shapes.append(("text", [(x + 4.0, top - 1.6)], black, (s.name, "ls")))
    return shapes


def _number(value: float) -> str:
    return f"{value:g}" if value < 1000 else f"{value:,.0f}"
