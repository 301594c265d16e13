"""What a bulletin says (its page and layout: govmedia.officialdoc)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A numbered part of the body: 一、 heading (黑体) and its paragraphs; an item list (the
    failed accounts) is paragraphs too, each starting with its number."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    subheadings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # （一） headings (楷体)


@dataclass(frozen=True)
class Bulletin:
    issuer_mark: str  # 发文机关标志, e.g. 菏泽市定陶区人民政府办公室
    doc_no: str  # 发文字号, e.g. 定政办〔2026〕3号
    title: str
    addressee: str  # 主送机关
    opening: tuple[str, ...]
    sections: tuple[Section, ...]
    signer: str  # 发文机关署名
    date_text: str  # 成文日期, e.g. 2026年12月3日
    cc: str  # 抄送
    printer: str  # 印发机关
    printed_text: str  # 印发日期, e.g. 2026年12月3日印发
    failed_names: tuple[str, ...] = field(default=())  # for tests and the page
