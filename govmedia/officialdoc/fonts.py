"""Locate the fonts the PDF embeds.

The printed form must look the same on a machine with no Chinese fonts, so the
PDF embeds a subset of a CJK font found here. Preferred is 思源宋体 (Noto Serif
CJK, Debian package fonts-noto-cjk): 宋体 is what Chinese official forms are set in.
Noto CJK has no ☑, so the checkboxes come from DejaVu Sans (fonts-dejavu-core).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTCollection, TTFont

ENV_VAR = "GOVMEDIA_CJK_FONT"

CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",  # Debian: fonts-noto-cjk
    "/usr/share/fonts/google-noto-serif-cjk-fonts/NotoSerifCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian: fonts-arphic-uming
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian: fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian: fonts-wqy-microhei
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
)

SYMBOL_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian: fonts-dejavu-core
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",  # Fedora
    "/usr/share/fonts/TTF/DejaVuSans.ttf",  # Arch
    "C:/Windows/Fonts/seguisym.ttf",
)

# In a collection, prefer the simplified-Chinese face: its glyph shapes follow the
# mainland standard (GB 18030), the TC/JP faces draw some characters differently.
_SIMPLIFIED_FACE = re.compile(r"\b(SC|CN|GB)\b|Simplified")
_PROBE = "中"  # a font that cannot draw this cannot set the form


class CjkFontNotFound(RuntimeError):
    """No usable Chinese font: the PDF cannot be produced."""


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int = 0  # face number inside a .ttc/.otc collection


def find_cjk_font() -> FontFace:
    """The CJK font to embed: $GOVMEDIA_CJK_FONT if set, else the first known path present."""
    return _find_cjk_font(os.environ.get(ENV_VAR, "").strip())


def find_symbol_font() -> FontFace | None:
    """A font with ☑ and □; None means the checkboxes fall back to the CJK font."""
    for candidate in SYMBOL_FONT_PATHS:
        if Path(candidate).is_file():
            return FontFace(Path(candidate))
    return None


@functools.lru_cache(maxsize=8)
def _find_cjk_font(configured: str) -> FontFace:
    if configured:
        # A wrong setting must be loud: silently using another font hides the mistake.
        path = Path(configured)
        if not path.is_file():
            raise CjkFontNotFound(f"环境变量 {ENV_VAR} 指定的字体文件不存在：{configured}")
        face = _face(path)
        if face is None:
            raise CjkFontNotFound(
                f"环境变量 {ENV_VAR} 指定的字体无法读取或不含中文字形，无法生成 PDF 文件：{configured}"
            )
        return face
    for candidate in CJK_FONT_PATHS:
        path = Path(candidate)
        if path.is_file() and (face := _face(path)) is not None:
            return face
    raise CjkFontNotFound(
        "未找到可嵌入 PDF 的中文字体，无法生成 PDF 文件。"
        "请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk），"
        f"或将环境变量 {ENV_VAR} 设为中文字体文件（.ttf/.otf/.ttc）的路径。"
        f"已查找：{'、'.join(CJK_FONT_PATHS)}"
    )


def _face(path: Path) -> FontFace | None:
    """The face of path to use, or None if it has no Chinese glyphs or cannot be read."""
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            faces = TTCollection(str(path), lazy=True).fonts
        else:
            faces = [TTFont(str(path), lazy=True)]
        names = [face["name"].getBestFamilyName() or "" for face in faces]
        order = sorted(range(len(faces)), key=lambda i: not _SIMPLIFIED_FACE.search(names[i]))
        for index in order:
            if ord(_PROBE) in (faces[index].getBestCmap() or {}):
                return FontFace(path, index)
    except Exception:  # noqa: BLE001 - any unreadable file just is not a candidate
        return None
    return None


@functools.lru_cache(maxsize=16)
def glyph_extent(face: FontFace, ch: str) -> tuple[float, float] | None:
    """(bottom, top) of ch's outline in ems above the baseline, None if the font lacks it."""
    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    name = (font.getBestCmap() or {}).get(ord(ch))
    if name is None:
        return None
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    if pen.bounds is None:
        return None
    em = font["head"].unitsPerEm
    return pen.bounds[1] / em, pen.bounds[3] / em
