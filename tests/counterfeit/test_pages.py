"""The staff pages over real HTTP (Django test client): list, detail, transitions, letter,
report form, import, and who sees which case."""

import io

from docx import Document
from openpyxl import Workbook, load_workbook

from govmedia.counterfeit import services
from govmedia.counterfeit.models import SuspectAccount, SuspectState
from tests.conftest import logged_in_client

from .conftest import remove_account


def case(world, platforms, name="田中发布", handle="tz_fake_01", **extra):
    return services.suspect_create(
        actor=world.alice,
        platform=platforms["douyin"],
        display_name=name,
        handle=handle,
        verified=False,
        source="report",
        reporter_contact="13812345678",
        **extra,
    ).suspect


def test_the_list_is_sorted_by_score_and_filtered(world, registry, platforms):
    high = case(world, platforms)
    low = case(world, platforms, name="定陶区民政局", handle="mz_fake")
    client = logged_in_client(world.alice)
    page = client.get("/counterfeit/").content.decode()
    assert page.index("田中发布") < page.index("定陶区民政局")
    assert high.score > low.score
    filtered = client.get("/counterfeit/?state=found&platform=&source=report&q=民政").content
    assert "定陶区民政局" in filtered.decode() and "田中发布" not in filtered.decode()
    assert client.get("/counterfeit/?state=nonsense&platform=x").status_code == 200


def test_units_see_only_cases_about_their_own_accounts(world, registry, platforms):
    tian_case = case(world, platforms)  # imitates 天中发布
    chen_case = case(world, platforms, name="陈集发布官方", handle="cj_fake")
    unmatched = case(world, platforms, name="定陶区民政局", handle="mz_fake")
    assert chen_case.matched_account == registry["chen"] and unmatched.matched_account is None

    tian = logged_in_client(world.tian_unit_admin)
    listing = tian.get("/counterfeit/").content.decode()
    assert "田中发布" in listing and "陈集" not in listing and "民政局" not in listing
    assert tian.get(f"/counterfeit/{tian_case.pk}/").status_code == 200
    for other in (chen_case, unmatched):
        assert tian.get(f"/counterfeit/{other.pk}/").status_code == 404
        assert tian.get(f"/counterfeit/{other.pk}/letter.docx").status_code == 404

    chen = logged_in_client(world.chen_editor)
    assert "田中发布" not in chen.get("/counterfeit/").content.decode()
    assert chen.get(f"/counterfeit/{chen_case.pk}/").status_code == 200

    # District-wide roles see all of them, the unmatched one included.
    for user in (world.alice, world.oversight):
        listing = logged_in_client(user).get("/counterfeit/").content.decode()
        assert all(name in listing for name in ("田中发布", "陈集发布官方", "定陶区民政局"))


def test_the_detail_shows_the_reasons_beside_the_genuine_account(world, registry, platforms):
    suspect = case(world, platforms)
    page = logged_in_client(world.alice).get(f"/counterfeit/{suspect.pk}/").content.decode()
    assert "读音相同" in page and "tian zhong fa bu" in page
    assert registry["tian"].filing_no in page and "dt_tianzhong001" in page
    assert "13812345678" in page  # the platform administrator sees the reporter's contact
    unit_page = logged_in_client(world.tian_unit_admin).get(f"/counterfeit/{suspect.pk}/")
    text = unit_page.content.decode()
    assert "138****5678" in text and "13812345678" not in text
    assert "确认核实" not in text  # the unit reads, the district office acts


def test_the_workflow_through_the_pages(world, registry, platforms, fakes):
    fakes.douyin.state.add_account("tz_fake_01", "田中发布", verified=False)
    suspect = case(world, platforms)
    client = logged_in_client(world.alice)
    url = f"/counterfeit/{suspect.pk}/act/"

    # A refused form keeps what was typed and says why.
    response = client.post(url, {"action": "verify", "version": 1, "note": "", "handle": "x1"})
    assert response.status_code == 400
    assert "请填写核实意见" in response.content.decode()
    assert 'value="x1"' in response.content.decode()

    response = client.post(url, {"action": "verify", "version": 1, "note": "冒用天中发布"})
    assert response.status_code == 302
    # The same page submitted again is refused.
    response = client.post(url, {"action": "verify", "version": 1, "note": "冒用天中发布"})
    assert response.status_code == 409 and "已过时" in response.content.decode()

    assert client.post(url, {"action": "request_takedown", "version": 2}).status_code == 302
    letter = client.get(f"/counterfeit/{suspect.pk}/letter.docx")
    assert letter.status_code == 200
    document = Document(io.BytesIO(b"".join(letter.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "田中发布" in text and "天中发布" in text

    response = client.post(
        url,
        {
            "action": "report_to_cac",
            "version": 3,
            "reported_on": "2000-01-01",
            "recipient": "网信办",
        },
    )
    assert response.status_code == 400 and "不能早于" in response.content.decode()
    import datetime

    today = datetime.date.today().isoformat()
    response = client.post(
        url, {"action": "report_to_cac", "version": 3, "reported_on": today, "recipient": "网信办"}
    )
    assert response.status_code == 302

    response = client.post(url, {"action": "confirm_closed", "version": 4})
    assert response.status_code == 400 and "仍能找到" in response.content.decode()
    remove_account(fakes.douyin.state, "tz_fake_01")
    assert client.post(url, {"action": "confirm_closed", "version": 4}).status_code == 302
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.CLOSED
    page = client.get(f"/counterfeit/{suspect.pk}/").content.decode()
    assert "确认已关停" in page and "平台已查不到该账号" in page


def test_units_cannot_act_even_on_their_own_cases(world, registry, platforms):
    suspect = case(world, platforms)
    client = logged_in_client(world.tian_unit_admin)
    response = client.post(
        f"/counterfeit/{suspect.pk}/act/",
        {"action": "exclude", "version": 1, "exclude-reason": "x"},
    )
    assert response.status_code == 404
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.FOUND


def test_a_unit_reports_a_counterfeit_of_its_own_account(world, registry, platforms):
    client = logged_in_client(world.tian_editor)
    form = {
        "platform": platforms["kuaishou"].pk,
        "display_name": "天中发布官方",
        "handle": "ks_fake",
        "verified": "0",
        "description": "冒用我街道名义",
    }
    response = client.post("/counterfeit/report/", form)
    suspect = SuspectAccount.objects.get()
    assert response.status_code == 302 and response.url == f"/counterfeit/{suspect.pk}/"
    assert suspect.matched_account == registry["tian"] and suspect.source == "report"
    # A bad form keeps its input.
    response = client.post("/counterfeit/report/", form | {"platform": ""})
    assert response.status_code == 200 and "请选择平台" in response.content.decode()
    assert "天中发布官方" in response.content.decode()


def _workbook(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "假冒账号线索"
    sheet.append(["序号", "运行平台", "账号名称", "账号", "平台认证", "认证主体", "情况说明"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "线索.xlsx"
    return buffer


def test_the_import_is_all_or_nothing_with_row_errors(world, registry, platforms):
    client = logged_in_client(world.alice)
    template = client.get("/counterfeit/template.xlsx")
    assert template.status_code == 200
    assert "假冒账号线索" in load_workbook(io.BytesIO(template.content)).sheetnames

    bad = _workbook(
        [
            [1, "抖音", "田中发布", "tz_1", "未认证", "", ""],
            [2, "不存在的平台", "定淘发布", "dt_1", "", "", ""],
            [3, "微信公众号", "天中发布", "dt_tianzhong001", "", "", ""],  # the genuine one
            [4, "抖音", "", "x_2", "也许", "", ""],
            [5, "抖音", "田中发布", "tz_1", "", "", ""],  # repeat of row 2
        ]
    )
    response = client.post("/counterfeit/import/", {"file": bad})
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert '<p class="muted">依据：' in page and '<p class="muted">。' not in page
    for expected in (
        "第 3 行",
        "不存在的平台",
        "第 4 行",
        "天中发布",
        "第 5 行",
        "请填写账号名称",
        "平台认证应填",
        "第 6 行",
        "与第 2 行",
    ):
        assert expected in page, expected
    assert SuspectAccount.objects.count() == 0

    good = _workbook(
        [
            ["示例", "抖音", "定淘发布", "dingtao_fb", "未认证", "", "示例行"],
            [1, "抖音", "田中发布", "tz_1", "未认证", "", "网信办转来"],
            [2, "快手", "陈集发布官方", "cj_1", "已认证", "某某传媒有限公司", ""],
        ]
    )
    response = client.post("/counterfeit/import/", {"file": good})
    assert response.status_code == 302
    assert set(SuspectAccount.objects.values_list("handle", flat=True)) == {"tz_1", "cj_1"}
    # Imported again: both join their cases.
    response = client.post(
        "/counterfeit/import/", {"file": _workbook([[1, "抖音", "田中发布", "tz_1"]])}
    )
    assert SuspectAccount.objects.get(handle="tz_1").report_count == 2


def test_import_and_discovery_are_for_the_district_office(world, registry, platforms):
    client = logged_in_client(world.tian_unit_admin)
    assert client.get("/counterfeit/import/").status_code == 404
    assert client.get("/counterfeit/template.xlsx").status_code == 404
    assert client.post("/counterfeit/discover/").status_code == 404
    assert logged_in_client(world.oversight).post("/counterfeit/discover/").status_code == 404


def test_the_discovery_button_runs_a_search(world, registry, platforms, fakes):
    fakes.douyin.state.add_account("tz_fake_01", "田中发布", verified=False)
    response = logged_in_client(world.alice).post("/counterfeit/discover/")
    assert response.status_code == 302
    assert SuspectAccount.objects.filter(handle="tz_fake_01", source="search").exists()
    assert "新发现 1 条" in logged_in_client(world.alice).get("/counterfeit/").content.decode()
