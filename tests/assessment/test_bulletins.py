"""The bulletin: DOCX with its East-Asian fonts, 文号 and 版记; the PDF renders and holds the
failed accounts; numbered per year; published to the units."""

import shutil
import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from govmedia.assessment.models import Bulletin, CheckState, ScoreSheet
from govmedia.assessment.services import bulletins, rubrics
from govmedia.core.errors import ServiceError
from govmedia.notifications.models import Notification
from govmedia.officialdoc import layout

from .conftest import CHECK_AT
from .helpers import assigned_check, fill_manual, finish

pytestmark = pytest.mark.django_db
FRAUD = "弄虚作假：购买粉丝、强制点赞等"
ADS = "发布、转发商业广告信息，或与本单位职能无关的信息"


@pytest.fixture
def published(accounts, settings):
    settings.ASSESSMENT_DOC_PREFIX = "定政办"
    w = accounts
    rubric = rubrics.rubric_default_ensure(year=2026)
    check = assigned_check(w, rubric)
    fill_manual(w, check, hits={("cj_wb", FRAUD), ("tz_wb", ADS)})
    check = finish(w, check, now=CHECK_AT + timedelta(days=1))
    return bulletins.bulletin_publish(
        actor=w.alice, check_id=check.pk, version=check.version, now=CHECK_AT + timedelta(days=2)
    )


def east_asian_fonts(document) -> set[str]:
    return {
        element.get(qn("w:eastAsia"))
        for element in document.element.body.iter(qn("w:rFonts"))
        if element.get(qn("w:eastAsia"))
    }


def test_the_docx_opens_and_carries_fonts_number_and_imprint(published):
    document = Document(BytesIO(bytes(published.docx)))
    assert published.doc_no == "定政办〔2026〕1号"
    assert {layout.FONT_TITLE, layout.FONT_BODY, layout.FONT_HEI, layout.FONT_KAI} <= (
        east_asian_fonts(document)
    )
    texts = [p.text for p in document.paragraphs]
    assert published.doc_no in texts
    assert any(t.startswith("抄送：") for t in texts)
    assert any(t.endswith("印发") for t in texts)
    assert any("陈集微博" in t and "弄虚作假" in t for t in texts)
    assert any("合格率80.0%" in t for t in texts)
    # The red 发文机关标志 and the red separator under the 文号.
    mark = document.paragraphs[0].runs[0]
    assert str(mark.font.color.rgb) == "E60012"
    number = next(p for p in document.paragraphs if p.text == published.doc_no)
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "E60012"
    # 22 lines per page on the document grid; page numbers in the footers.
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert "PAGE" in document.sections[0].footer._element.xml


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_pdf_renders_and_its_text_holds_the_failed_accounts(published, tmp_path):
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(bytes(published.pdf))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "陈集微博" in text and published.doc_no in text
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    assert fonts.stdout.count(" yes ") >= 2  # embedded (subset) fonts


def test_numbers_count_per_year(published, accounts):
    w = accounts
    rubric = published.check_run.rubric
    check = assigned_check(w, rubric, count=1)
    fill_manual(w, check)
    check = finish(w, check)
    second = bulletins.bulletin_publish(
        actor=w.alice, check_id=check.pk, version=check.version, now=CHECK_AT + timedelta(days=3)
    )
    assert second.doc_no == "定政办〔2026〕2号"


def test_a_bulletin_is_published_once_and_reaches_the_units(published, accounts):
    w = accounts
    check = published.check_run
    assert check.state == CheckState.PUBLISHED
    assert Notification.objects.filter(kind="assessment_bulletin").count() == 3
    with pytest.raises(ServiceError, match="尚未通报"):
        bulletins.bulletin_publish(actor=w.alice, check_id=check.pk, version=check.version)
    # Now each unit reads the bulletin and its own sheets only.
    assert Bulletin.objects.restrict(w.tian_editor).get() == published
    own = ScoreSheet.objects.restrict(w.chen_editor).values_list("org_id", flat=True)
    assert set(own) == {w.chen.pk}
