"""The check page, the API and the command on bad input: empty text, 5 MB, more than 10 MB,
invalid UTF-8, a .docx that is no .docx or a zip bomb, HTML with scripts. Each gets a clear
Chinese message or a correct result; nothing crashes."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError
from django.test import Client
from docx import Document

from tests.conftest import logged_in_client

from .conftest import api_check, command_check

FIVE_MB = 5 * 1024 * 1024


def upload(name: str, content: bytes) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def check_page(client, **data):
    return client.post("/screening/", data)


def docx_bytes(*paragraphs, table=()) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb(inflated_bytes: int) -> bytes:
    """A .docx-shaped zip whose document.xml is `inflated_bytes` of zeros (a few KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(inflated_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_the_page_asks_for_text_when_there_is_none(world, lexicon):
    client = logged_in_client(world.tian_editor)
    page = client.get("/screening/").content.decode()
    assert "请输入或上传文本" in page and "依据：通知第四部分（一）" in page
    for text in ("", "   \n\t  "):
        page = check_page(client, text=text).content.decode()
        assert "请输入或上传文本" in page and '<h2 id="result">' not in page


def test_the_page_highlights_findings_and_lists_them_by_category(world, lexicon):
    client = logged_in_client(world.tian_editor)
    text = "山东省省委书记强调，据网传消息不可轻信。文件标注机密★5年。联系电话：0530-2212021。"
    page = check_page(client, text=text).content.decode()
    assert (
        '<mark class="finding sev-warn" title="规范表述·提醒核实：省省委（应为省委），建议改为“山东省委”"'
        in page
    )
    assert ">山东省省委</mark>" in page
    assert '<mark class="finding sev-block"' in page and ">机密★5年</mark>" in page
    assert "0530-2212021</mark>" not in page
    for heading in ("规范表述", "涉密标识", "非官方来源"):
        assert f"<h4>{heading} " in page
    assert "依据：GB/T 9704-2012" in page
    assert "词库版本" in page
    # The text stays in the box for the next round.
    assert "山东省省委书记强调" in page.split("</textarea>")[0]


def test_html_input_is_shown_as_escaped_source_and_never_run(world, lexicon):
    client = logged_in_client(world.tian_editor)
    html = '<p onclick="steal()">台湾总统</p><script>alert("据网传")</script><img src=x onerror=alert(1)>'
    for as_html in ("on", ""):
        page = check_page(client, text=html, html=as_html).content.decode()
        result = page.split('<div class="textview"')[1]
        assert "<script>" not in result and "<img" not in result and "<p " not in result
        assert "&lt;script&gt;alert(&quot;" in result
        assert ">台湾总统</mark>" in result
    # Parsed as HTML, the script body is no content: its 据网传 does not fire.
    findings = api_check(client, html, html=True).json()["findings"]
    assert [f["rule"] for f in findings] == ["台湾总统"]
    start = html.index("台湾总统")
    assert (findings[0]["start"], findings[0]["end"]) == (start, start + 4)
    as_text = api_check(client, html).json()["findings"]
    assert {f["rule"] for f in as_text} == {"台湾总统", "据网传"}


def test_txt_uploads_in_utf8_bom_and_gbk_are_read(world, lexicon):
    client = logged_in_client(world.tian_editor)
    for content in ("\ufeff台湾总统来访".encode(), "台湾总统来访".encode("gbk")):
        page = check_page(client, upload=upload("稿件.txt", content)).content.decode()
        assert ">台湾总统</mark>" in page and "文件：稿件.txt" in page


def test_invalid_utf8_in_an_upload_gets_a_chinese_message(world, lexicon):
    client = logged_in_client(world.tian_editor)
    page = check_page(
        client, upload=upload("稿件.txt", b"\x80\x81\xff\xfe\x00abc")
    ).content.decode()
    assert "文件编码无法识别" in page and '<h2 id="result">' not in page


def test_a_docx_is_read_with_its_tables(world, lexicon):
    client = logged_in_client(world.tian_editor)
    content = docx_bytes(
        "第一段正常文字。", table=[["联系人", "手机13812345678"], ["备注", "按步就班"]]
    )
    page = check_page(client, upload=upload("稿件.docx", content)).content.decode()
    assert "138****5678" in page and ">按步就班</mark>" in page
    assert "第一段正常文字。\n联系人\n手机13812345678" in page.split("</textarea>")[0]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("稿件.docx", "台湾总统".encode(), "不是有效的 .docx"),
        ("稿件.docx", b"PK\x03\x04 truncated", "不是有效的 .docx"),
        ("稿件.docx", b"", "空文件"),
        ("稿件.pdf", b"%PDF-1.4", "不支持“.pdf”文件"),
        ("稿件", b"abc", "不支持没有扩展名的文件"),
    ],
)
def test_files_that_are_not_what_they_claim_get_a_chinese_message(
    world, lexicon, name, content, message
):
    page = check_page(logged_in_client(world.tian_editor), upload=upload(name, content))
    assert page.status_code == 200 and message in page.content.decode()


def test_a_zip_with_no_document_is_no_docx(world, lexicon):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "台湾总统")
    page = check_page(
        logged_in_client(world.tian_editor), upload=upload("a.docx", buffer.getvalue())
    )
    assert "不是有效的 .docx" in page.content.decode()


@pytest.mark.parametrize(
    "document_xml",
    [b"<w:document", b'<?xml version="1.0"?><root/>', b"\xff\xfe not xml at all"],
)
def test_a_docx_with_a_damaged_document_part_is_no_docx(world, lexicon, document_xml):
    real = zipfile.ZipFile(io.BytesIO(docx_bytes("台湾总统")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in real.namelist():
            content = document_xml if name == "word/document.xml" else real.read(name)
            archive.writestr(name, content)
    page = check_page(
        logged_in_client(world.tian_editor), upload=upload("坏.docx", buffer.getvalue())
    )
    assert page.status_code == 200 and "不是有效的 .docx" in page.content.decode()


@pytest.mark.parametrize("inflated_mb", [64, 8])  # over the 50 MB total; under it but 1000:1
def test_a_zip_bomb_docx_is_refused_without_inflating_it(world, lexicon, inflated_mb):
    bomb = zip_bomb(inflated_mb * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    page = check_page(logged_in_client(world.tian_editor), upload=upload("炸弹.docx", bomb))
    assert page.status_code == 200 and "压缩炸弹" in page.content.decode()


def test_an_upload_over_10_mb_is_refused(world, lexicon):
    big = upload("大.txt", b"a" * (10 * 1024 * 1024 + 1))
    page = check_page(logged_in_client(world.tian_editor), upload=big).content.decode()
    assert "文件超过 10 MB" in page


def five_mb_text() -> str:
    paragraph = "各镇街要加强政务新媒体管理，据网传，某地须核实后发布。" * 10 + "\n"
    text = paragraph * (FIVE_MB // len(paragraph.encode()) + 1)
    return text + "结尾处写着台湾总统。"


def test_five_mb_of_text_works_through_api_command_and_page(world, lexicon):
    text = five_mb_text()
    assert len(text.encode()) > FIVE_MB
    client = logged_in_client(world.tian_editor)
    response = api_check(client, text)
    assert response.status_code == 200
    findings = response.json()["findings"]
    last = findings[-1]
    assert (last["rule"], text[last["start"] : last["end"]]) == ("台湾总统", "台湾总统")
    # One rule is reported for its first 1,000 occurrences only; the rest stay cheap.
    assert sum(f["rule"] == "据网传" for f in findings) == 1000
    assert json.loads(command_check(text)) == response.json()
    page = check_page(client, text=text)
    assert page.status_code == 200 and "另有" in page.content.decode()


def test_more_than_10_mb_gets_a_chinese_message(world, lexicon):
    text = "字" * (10 * 1024 * 1024 // 3 + 1)  # 3 bytes each in UTF-8
    client = logged_in_client(world.tian_editor)
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    response = client.post("/api/v1/screening/check", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "too_large",
        "message": "文本超过 10 MB，请分段审查",
        "field": "text",
    }
    with pytest.raises(CommandError, match="文本超过 10 MB") as raised:
        command_check(text)
    assert raised.value.returncode == 2
    page = check_page(client, text=text).content.decode()
    assert "文本超过 10 MB，请分段审查" in page


def test_a_request_body_over_the_server_limit_gets_a_json_error(world, lexicon):
    # The same text \u-escaped is over 20 MB of JSON: refused before it is parsed.
    text = "字" * (10 * 1024 * 1024 // 3 + 1)
    response = api_check(logged_in_client(world.tian_editor), text)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "过大" in response.json()["message"]


def test_empty_text_is_a_result_with_no_findings(world, lexicon):
    client = logged_in_client(world.tian_editor)
    answer = api_check(client, "").json()
    assert answer["findings"] == [] and answer["lexicon_version"] >= 1
    assert json.loads(command_check(b"")) == answer


def test_the_api_refuses_what_is_no_text(world, lexicon):
    client = logged_in_client(world.tian_editor)
    response = client.post(
        "/api/v1/screening/check", '{"text": "\\ud800台湾"}', content_type="application/json"
    )
    assert response.status_code == 400 and "无效字符" in response.json()["message"]
    response = client.post(
        "/api/v1/screening/check", b'{"text": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["message"]
    response = client.post(
        "/api/v1/screening/check", {"html": True}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"
    assert api_check(Client(), "台湾").status_code == 401


def test_the_command_refuses_invalid_utf8_with_a_chinese_message(lexicon):
    with pytest.raises(CommandError) as raised:
        command_check(b"\xe5\x8f\xb0\xff\xfe")
    assert raised.value.returncode == 2
    assert "不是有效的 UTF-8" in str(raised.value) and "第 4 个字节" in str(raised.value)


def test_the_command_applies_a_units_own_terms_with_org(world, lexicon):
    from govmedia.screening import services

    services.lexicon_term_create(
        actor=world.chen_unit_admin, term="陈集专用词", category="typo", severity="warn"
    )
    assert json.loads(command_check("陈集专用词"))["findings"] == []
    found = json.loads(command_check("陈集专用词", "--org", str(world.chen_office.pk)))["findings"]
    assert [f["rule"] for f in found] == ["陈集专用词"]
    with pytest.raises(CommandError, match="单位编号“99999”不存在"):
        command_check("x", "--org", "99999")
