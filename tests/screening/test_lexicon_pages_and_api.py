"""The lexicon pages and API: list with filters, create/edit/disable, township read-only for the
district's terms, and the .xlsx export and all-or-nothing import."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from govmedia.audit.models import AuditEvent
from govmedia.screening import services
from govmedia.screening.models import LexiconSource, LexiconTerm
from govmedia.screening.version import current_version
from tests.conftest import logged_in_client

from .conftest import api_check


def district_term(world, term="清风行动"):
    return services.lexicon_term_create(
        actor=world.alice, term=term, category="sensitive", severity="block", basis="测试依据"
    )


def test_list_filters_search_and_paginates(world, lexicon):
    client = logged_in_client(world.tian_editor)
    page = client.get("/screening/lexicon/").content.decode()
    assert "审查词库" in page and "第 1 /" in page and "只读" not in page  # editors get no actions
    page = client.get("/screening/lexicon/", {"q": "台湾总统"}).content.decode()
    assert "台湾地区领导人" in page
    page = client.get(
        "/screening/lexicon/", {"category": "typo", "severity": "block"}
    ).content.decode()
    assert "没有符合条件的词条" in page
    page = client.get("/screening/lexicon/", {"category": "whitelist", "q": "赌"}).content.decode()
    assert "打击赌博" in page and '">网络赌博</a>' not in page
    page = client.get("/screening/lexicon/", {"owner": "district", "active": "0"}).content.decode()
    assert "没有符合条件的词条" in page
    # Unknown values filter nothing and break nothing.
    assert client.get("/screening/lexicon/", {"category": "x", "page": "999"}).status_code == 200


def test_a_township_sees_district_terms_read_only_and_its_own_editable(world, lexicon):
    district = district_term(world)
    own = services.lexicon_term_create(
        actor=world.tian_unit_admin, term="天中专用词", category="typo", severity="warn"
    )
    chen = services.lexicon_term_create(
        actor=world.chen_unit_admin, term="陈集专用词", category="typo", severity="warn"
    )
    client = logged_in_client(world.tian_unit_admin)
    page = client.get("/screening/lexicon/", {"q": "专用词"}).content.decode()
    assert "天中专用词" in page and "陈集专用词" not in page
    assert f"/screening/lexicon/{own.pk}/edit/" in page
    page = client.get("/screening/lexicon/", {"q": "清风行动"}).content.decode()
    assert "清风行动" in page and "只读" in page
    assert f"/screening/lexicon/{district.pk}/edit/" not in page
    detail = client.get(f"/screening/lexicon/{district.pk}/").content.decode()
    assert "您只能查看" in detail
    assert client.get(f"/screening/lexicon/{chen.pk}/").status_code == 404
    sheet = load_workbook(io.BytesIO(client.get("/screening/lexicon/export.xlsx").content)).active
    exported = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {"天中专用词", "清风行动", "台湾总统"} <= exported and "陈集专用词" not in exported
    listed = client.get("/api/v1/screening/lexicon", {"q": "专用词"}).json()
    assert [item["term"] for item in listed["items"]] == ["天中专用词"]
    owners = client.get("/screening/lexicon/").content.decode().split('aria-label="归属"')[1]
    assert "天中街道" in owners.split("</select>")[0] and "陈集" not in owners.split("</select>")[0]


def test_a_township_cannot_edit_the_district_lexicon_by_page(world, lexicon):
    term = district_term(world)
    before, events = current_version(), AuditEvent.objects.count()
    client = logged_in_client(world.tian_unit_admin)
    assert client.get(f"/screening/lexicon/{term.pk}/edit/").status_code == 404
    response = client.post(
        f"/screening/lexicon/{term.pk}/edit/",
        {"term": "被改", "category": "typo", "severity": "warn", "version": term.version},
    )
    assert response.status_code == 404
    for action in ("disable", "enable"):
        response = client.post(f"/screening/lexicon/{term.pk}/{action}/", {"version": 1})
        assert response.status_code == 404
    term.refresh_from_db()
    assert (term.term, term.is_active, term.version) == ("清风行动", True, 1)
    assert current_version() == before and AuditEvent.objects.count() == events


def test_a_township_cannot_edit_the_district_lexicon_by_api(world, lexicon):
    term = district_term(world)
    before = current_version()
    for user, status in ((world.tian_unit_admin, 404), (world.tian_editor, 403)):
        client = logged_in_client(user)
        response = client.patch(
            f"/api/v1/screening/lexicon/{term.pk}",
            {"version": 1, "severity": "warn"},
            content_type="application/json",
        )
        assert response.status_code == status, response.content
        assert response.json()["code"] in ("not_found", "forbidden")
        response = client.post(
            f"/api/v1/screening/lexicon/{term.pk}/disable",
            {"version": 1},
            content_type="application/json",
        )
        assert response.status_code == status
        # Reading it is fine: the district's terms apply to the township's texts.
        assert client.get(f"/api/v1/screening/lexicon/{term.pk}").json()["owner_org_id"] is None
    term.refresh_from_db()
    assert (term.severity, term.is_active, term.version) == ("block", True, 1)
    assert current_version() == before


def test_create_edit_disable_enable_through_pages(world, lexicon):
    client = logged_in_client(world.tian_unit_admin)
    response = client.post(
        "/screening/lexicon/new/",
        {"term": "天中专用词", "category": "typo", "severity": "warn", "suggestion": "天中用词"},
    )
    term = LexiconTerm.objects.get(term="天中专用词")
    assert response.status_code == 302 and response["Location"] == f"/screening/lexicon/{term.pk}/"
    assert term.owner_org == world.tian and term.source == LexiconSource.MANUAL
    findings = api_check(client, "天中专用词").json()["findings"]
    assert [f["suggestion"] for f in findings] == ["天中用词"]

    form = client.get(f"/screening/lexicon/{term.pk}/edit/").content.decode()
    assert 'name="whitelist"' not in form  # units do not whitelist
    response = client.post(
        f"/screening/lexicon/{term.pk}/edit/",
        {"term": "天中专用词", "category": "typo", "severity": "block", "version": term.version},
    )
    assert response.status_code == 302
    # A second submit of the same (now stale) form is refused, and the input is kept.
    response = client.post(
        f"/screening/lexicon/{term.pk}/edit/",
        {"term": "天中专用词二", "category": "typo", "severity": "warn", "version": term.version},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in page and "天中专用词二" in page
    term.refresh_from_db()
    assert (term.severity, term.version) == ("block", 2)

    response = client.post(
        f"/screening/lexicon/{term.pk}/disable/",
        {"version": term.version, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/screening/lexicon/{term.pk}/"
    assert api_check(client, "天中专用词").json()["findings"] == []
    response = client.post(f"/screening/lexicon/{term.pk}/enable/", {"version": term.version})
    assert "已被他人修改" in client.get(response["Location"]).content.decode()
    term.refresh_from_db()
    client.post(
        f"/screening/lexicon/{term.pk}/enable/",
        {"version": term.version, "next": "/screening/lexicon/?q=天中"},
    )
    term.refresh_from_db()
    assert term.is_active
    history = client.get(f"/screening/lexicon/{term.pk}/").content.decode()
    for label in ("新增词条", "修改词条", "停用词条", "启用词条"):
        assert label in history


def test_form_errors_name_the_field_and_keep_the_input(world, lexicon):
    client = logged_in_client(world.alice)
    response = client.post(
        "/screening/lexicon/new/",
        {"term": "赌博", "category": "sensitive", "severity": "warn", "note": "保留的说明"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "全区通用词库中已有“赌博”" in page
    assert "保留的说明" in page
    response = client.post("/screening/lexicon/new/", {"term": "新词", "category": "typo"})
    assert "请选择处理级别" in response.content.decode()


def test_editors_and_oversight_cannot_reach_the_management_pages(world, lexicon):
    term = district_term(world)
    for user in (world.tian_editor, world.oversight):
        client = logged_in_client(user)
        for url in (
            "/screening/lexicon/new/",
            "/screening/lexicon/import/",
            f"/screening/lexicon/{term.pk}/edit/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/screening/lexicon/").status_code == 200


def xlsx(
    rows,
    header=("词条", "类别", "处理级别", "建议改为", "依据", "说明", "白名单", "语境要求", "状态"),
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "词库.xlsx"
    return buffer


def test_export_then_import_round_trips(world, lexicon):
    client = logged_in_client(world.alice)
    services.lexicon_term_create(
        actor=world.alice, term='=HYPERLINK("http://x")', category="typo", severity="warn"
    )
    response = client.get("/screening/lexicon/export.xlsx", {"category": "typo"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("词条", "类别", "处理级别")
    assert ("按步就班", "常见差错", "提醒核实", "按部就班") in {r[:4] for r in rows}
    # Exported as text, never as a formula.
    assert ('=HYPERLINK("http://x")', "常见差错") in {r[:2] for r in rows}
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)

    before = current_version()
    content = io.BytesIO(response.content)
    content.name = "export.xlsx"
    response = client.post("/screening/lexicon/import/", {"file": content})
    assert response.status_code == 302
    assert current_version() == before  # nothing changed, nothing bumped
    assert "更新 0 条" in client.get(response["Location"]).content.decode()


def test_import_creates_and_updates_all_or_nothing(world, lexicon):
    client = logged_in_client(world.alice)
    good = [
        ("清风行动", "敏感词", "禁止发布", "", "测试依据", "", "否", "", "启用"),
        ("按步就班", "typo", "block", "按部就班", "", "", "", "", ""),
        ("打击清风", "", "", "", "", "", "是", "", ""),
    ]
    bad = [
        *good,
        ("", "敏感词", "提醒核实"),
        ("某词", "政治", "提醒核实"),
        ("清风行动", "敏感词", "提醒核实"),
    ]
    events, version = AuditEvent.objects.count(), current_version()
    response = client.post("/screening/lexicon/import/", {"file": xlsx(bad)})
    page = response.content.decode()
    assert response.status_code == 200 and "未导入任何词条" in page
    assert "第 5 行" in page and "请填写词条" in page
    assert "“政治”不是有效的类别" in page
    assert "与第 2 行重复" in page
    assert not LexiconTerm.objects.filter(term="清风行动").exists()
    assert AuditEvent.objects.count() == events and current_version() == version

    response = client.post("/screening/lexicon/import/", {"file": xlsx(good)})
    assert response.status_code == 302
    created = LexiconTerm.objects.get(term="清风行动")
    assert (created.owner_org, created.source, created.severity) == (None, "import", "block")
    typo = LexiconTerm.objects.get(term="按步就班", owner_org__isnull=True)
    assert typo.severity == "block" and typo.source == LexiconSource.SEED and typo.version == 2
    assert LexiconTerm.objects.get(term="打击清风").whitelist
    assert current_version()[0] == version[0] + 1
    assert AuditEvent.objects.filter(action="lexicon.import").count() == 1
    assert AuditEvent.objects.filter(action__startswith="lexicon.import_").count() == 3
    finding = api_check(client, "按步就班").json()["findings"][0]
    assert finding["severity"] == "block"


def test_a_unit_imports_into_its_own_lexicon_only(world, lexicon):
    client = logged_in_client(world.chen_unit_admin)
    rows = [("赌博", "敏感词", "禁止发布"), ("陈集专用词", "常见差错", "提醒核实")]
    response = client.post(
        "/screening/lexicon/import/", {"file": xlsx(rows, header=("词条", "类别", "处理级别"))}
    )
    assert response.status_code == 302
    assert set(LexiconTerm.objects.filter(owner_org=world.chen).values_list("term", flat=True)) == {
        "赌博",
        "陈集专用词",
    }
    district = LexiconTerm.objects.get(term="赌博", owner_org__isnull=True, whitelist=False)
    assert district.severity == "warn" and district.version == 1
    response = client.post(
        "/screening/lexicon/import/",
        {"file": xlsx([("打击赌博", "", "", "", "", "", "是")])},
    )
    assert "白名单词条只能由平台管理员" in response.content.decode()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a spreadsheet", "不是有效的 .xlsx"),
        (None, "缺少“词条”“类别”列"),
    ],
)
def test_import_refuses_a_file_that_is_no_lexicon_sheet(world, lexicon, content, message):
    client = logged_in_client(world.alice)
    if content is None:
        upload = xlsx([("a", "b")], header=("名称", "备注"))
    else:
        upload = io.BytesIO(content)
        upload.name = "词库.xlsx"
    response = client.post("/screening/lexicon/import/", {"file": upload})
    assert response.status_code == 200 and message in response.content.decode()
