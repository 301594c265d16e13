"""What a government document says: its 版头, title, body blocks and 版记."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Style(Enum):
    BODY = "body"  # 仿宋, first line indented two characters
    PLAIN = "plain"  # 仿宋, not indented (主送机关)
    HEADING = "heading"  # 一、 黑体
    SUBHEADING = "subheading"  # （一） 楷体


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Style = Style.BODY


@dataclass(frozen=True)
class Table:
    """A table in the text width: a header row and rows of text. `widths` are relative column
    widths (equal when empty)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    caption: str = ""

    def column_widths(self, total: float) -> list[float]:
        weights = self.widths or (1.0,) * len(self.header)
        return [total * w / sum(weights) for w in weights]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A bar or line chart over `labels` (one value per label in each series), drawn as vectors
    in the PDF and as a picture in the DOCX."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    kind: str = "bar"  # "bar" | "line"

    @property
    def top(self) -> float:
        """The axis' top: four readable steps (1, 2, 5 × 10^n) reaching the largest value, so
        the ticks of a count are whole numbers."""
        largest = max((v for s in self.series for v in s.values), default=0.0)
        return TICKS * nice_ceiling(largest / TICKS)


TICKS = 4  # steps between the axis' ticks
Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class OfficialDocument:
    issuer_mark: str  # 发文机关标志, e.g. 菏泽市定陶区人民政府办公室
    doc_no: str  # 发文字号, e.g. 定政办〔2026〕3号
    title: str
    addressee: str  # 主送机关 ("" for none, as in a 简报)
    blocks: tuple[Block, ...]
    signer: str  # 发文机关署名
    date_text: str  # 成文日期, e.g. 2026年12月3日
    cc: str  # 抄送
    printer: str  # 印发机关
    printed_text: str  # 印发日期, e.g. 2026年12月3日印发


def nice_ceiling(value: float) -> float:
    """1, 2, 5 × 10^n at or above value (at least 1): the top of a chart's axis."""
    if value <= 1:
        return 1.0
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if value <= factor * step:
                return factor * step
        step *= 10
