"""The filing's papers over real HTTP: the printable form (PDF, DOCX) and the signed scan."""

import io
import subprocess
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from govmedia.audit.models import AuditEvent
from govmedia.registry.models import Filing
from tests.conftest import logged_in_client

from .filing_steps import file_account, submitted_filing


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def tiny_png() -> bytes:
    def chunk(kind, data):
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_pdf_has_three_copies_the_title_and_the_account(world, form_data, tmp_path):
    filing = file_account(world, form_data).filings.get()
    response = logged_in_client(world.tian_unit_admin).get(
        f"/registry/filings/{filing.pk}/form.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "菏泽市定陶区政务新媒体备案表" in text.replace(" ", "")
    assert "天中发布" in text and "定陶新媒备〔2026〕第001号" in text
    assert "13805300001" in text
    assert text.count("\f") >= 3  # 一式三份: a page per copy


def test_pdf_for_oversight_masks_mobiles_and_draft_has_no_number(world, form_data, tmp_path):
    filing = submitted_filing(world, form_data)
    response = logged_in_client(world.oversight).get(f"/registry/filings/{filing.pk}/form.pdf")
    text = pdf_text(response.content, tmp_path)
    assert "138****0001" in text and "13805300001" not in text
    assert "待编号" in text


def test_docx_download(world, form_data):
    filing = submitted_filing(world, form_data)
    response = logged_in_client(world.tian_unit_admin).get(
        f"/registry/filings/{filing.pk}/form.docx"
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "天中发布" in cells and len(document.sections) == 3


def test_a_real_pdf_scan_is_kept_and_streamed_back_in_scope(world, form_data):
    filing = submitted_filing(world, form_data)
    unit = logged_in_client(world.tian_unit_admin)
    real_pdf = unit.get(f"/registry/filings/{filing.pk}/form.pdf").content
    response = unit.post(
        f"/registry/filings/{filing.pk}/scan/upload/",
        {"scan": SimpleUploadedFile("盖章.pdf", real_pdf)},
        follow=True,
    )
    assert "签章扫描件已上传" in response.content.decode()
    filing.refresh_from_db()
    assert filing.scanned_copy.name.endswith(".pdf") and "盖章" not in filing.scanned_copy.name
    event = AuditEvent.objects.get(action="filing.attach_scan")
    assert event.after["size"] == len(real_pdf) and len(event.after["sha256"]) == 64
    for user in (world.tian_unit_admin, world.alice, world.oversight):
        download = logged_in_client(user).get(f"/registry/filings/{filing.pk}/scan/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == real_pdf
    assert (
        logged_in_client(world.chen_unit_admin)
        .get(f"/registry/filings/{filing.pk}/scan/")
        .status_code
        == 404
    )
    page = unit.get(f"/registry/filings/{filing.pk}/").content.decode()
    assert "/media/" not in page  # never a public URL


def test_a_png_scan_is_accepted(world, form_data):
    filing = submitted_filing(world, form_data)
    logged_in_client(world.tian_unit_admin).post(
        f"/registry/filings/{filing.pk}/scan/upload/",
        {"scan": SimpleUploadedFile("scan.PNG", tiny_png())},
    )
    filing.refresh_from_db()
    assert filing.scanned_copy.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("备案表.pdf", "这其实是一个文本文件".encode(), "内容不是 PDF、JPG 或 PNG"),
        ("备案表.txt", b"%PDF-1.4 ...", "须为 PDF、JPG 或 PNG 文件"),
        ("scan.jpg", tiny_png(), "扩展名与内容不符"),
        ("big.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "不能超过 10 MB"),
    ],
)
def test_bad_scans_are_refused_in_chinese(world, form_data, name, content, message):
    filing = submitted_filing(world, form_data)
    response = logged_in_client(world.tian_unit_admin).post(
        f"/registry/filings/{filing.pk}/scan/upload/",
        {"scan": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    filing.refresh_from_db()
    assert not filing.scanned_copy
    assert not AuditEvent.objects.filter(action="filing.attach_scan").exists()


def test_only_the_unit_uploads(world, form_data):
    filing = submitted_filing(world, form_data)
    for user in (world.oversight, world.tian_editor, world.chen_unit_admin):
        response = logged_in_client(user).post(
            f"/registry/filings/{filing.pk}/scan/upload/",
            {"scan": SimpleUploadedFile("a.png", tiny_png())},
            follow=True,
        )
        assert response.status_code == 404
    assert not Filing.objects.get(pk=filing.pk).scanned_copy
