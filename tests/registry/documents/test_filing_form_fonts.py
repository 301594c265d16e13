"""Finding the CJK font to embed, and the errors when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from govmedia.officialdoc import fonts
from govmedia.registry.documents import CjkFontNotFound, find_cjk_font, render_filing_pdf

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Latin only
TRUETYPE_CJK = [Path(p) for p in fonts.CJK_FONT_PATHS if p.endswith(("uming.ttc", "hei.ttc"))]


@pytest.fixture(autouse=True)
def _fresh_lookup(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts._find_cjk_font.cache_clear()
    yield
    fonts._find_cjk_font.cache_clear()


def test_finds_an_installed_cjk_font_and_its_simplified_face():
    face = find_cjk_font()
    assert face.path.is_file()
    if "NotoSerifCJK" in face.path.name:
        assert face.index == 2  # JP, KR, SC, TC, HK: SC is the mainland standard


def test_environment_variable_wins(monkeypatch):
    found = find_cjk_font()
    monkeypatch.setenv(fonts.ENV_VAR, str(found.path))
    assert find_cjk_font() == found


def test_missing_configured_file_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, "/nonexistent/simsun.ttc")
    with pytest.raises(CjkFontNotFound, match="GOVMEDIA_CJK_FONT.*不存在.*simsun.ttc"):
        find_cjk_font()


def test_configured_font_without_chinese_is_refused(monkeypatch, filing):
    monkeypatch.setenv(fonts.ENV_VAR, str(DEJAVU))
    with pytest.raises(CjkFontNotFound, match="不含中文字形"):
        render_filing_pdf(filing)


def test_no_font_anywhere_says_what_to_install(monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FONT_PATHS", ("/nonexistent/a.ttc",))
    with pytest.raises(CjkFontNotFound, match="fonts-noto-cjk") as error:
        find_cjk_font()
    assert "GOVMEDIA_CJK_FONT" in str(error.value)
