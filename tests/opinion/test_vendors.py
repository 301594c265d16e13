"""Vendors' signals: the token-authenticated endpoint and the Excel/JSON import, all or
nothing, idempotent by the vendor's id."""

import io
import json

import pytest
from django.test import Client
from openpyxl import Workbook

from govmedia.core.errors import ServiceError
from govmedia.opinion.models import OpinionItem, SignalKind
from govmedia.opinion.services.vendors import (
    vendor_import,
    vendor_token_create,
    vendor_token_revoke,
)

URL = "/api/v1/opinion/vendor/items"


def item(n, **extra):
    return {
        "id": f"V{n}",
        "title": f"网传天中街道幸福小区停水{n}",
        "text": "有网民发帖称幸福小区停水三天，物业和街道均未回应，引发转发",
        "url": f"https://news.example/{n}",
        "published_at": "2026-11-27T09:00:00+08:00",
        "unit": "天中街道",
        "rule": "停水",
    } | extra


def post(token, body):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return Client().post(URL, data, content_type="application/json", **headers)


@pytest.fixture
def token(world):
    return vendor_token_create(actor=world.alice, vendor="某舆情监测公司")


def test_items_are_stored_once_by_the_vendors_id(world, token):
    _, key = token
    answer = post(key, {"items": [item(1), item(2)]})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["created"] == 2 and body["duplicates"] == [] and len(body["case_ids"]) == 1
    stored = OpinionItem.objects.get(vendor_item_id="V1")
    assert stored.kind == SignalKind.VENDOR_API and stored.vendor == "某舆情监测公司"
    assert stored.org == world.tian and stored.matched_rule == "停水"
    # Sent again (a retry after a timeout), with one new item: only the new one is stored.
    again = post(key, {"items": [item(1), item(3)]}).json()
    assert again["created"] == 1 and again["duplicates"] == ["V1"]
    assert OpinionItem.objects.filter(vendor_item_id="V1").count() == 1
    assert OpinionItem.objects.count() == 3


@pytest.mark.parametrize("header", [None, "gmv_not-a-token", "gm_personal"])
def test_a_missing_or_unknown_token_is_refused(world, header):
    answer = post(header, {"items": [item(1)]})
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    assert not OpinionItem.objects.exists()


def test_a_revoked_token_is_refused(world, token):
    row, key = token
    vendor_token_revoke(actor=world.alice, token_id=row.pk)
    assert post(key, {"items": [item(1)]}).status_code == 401
    assert not OpinionItem.objects.exists()


def test_a_personal_token_does_not_open_the_vendor_endpoint(world):
    from tests.conftest import api_token

    assert post(api_token(world.alice), {"items": [item(1)]}).status_code == 401


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "JSON"),
        ({"items": []}, "items"),
        ({"items": [item(1), item(2, published_at="昨天")]}, "published_at"),
        ({"items": [item(1), {"id": "V2"}]}, "缺少必填项"),
    ],
)
def test_a_malformed_body_is_refused_and_nothing_is_stored(world, token, body, message):
    answer = post(token[1], body)
    assert answer.status_code == 400
    assert message in answer.json()["message"] + str(answer.json()["field"])
    assert not OpinionItem.objects.exists()


def test_a_wrong_row_rejects_the_batch_naming_it(world, token):
    answer = post(token[1], {"items": [item(1), item(2, unit="不存在的单位"), item(1)]})
    assert answer.status_code == 400
    body = answer.json()
    assert body["message"].startswith("第 2 条“涉及单位”：找不到单位“不存在的单位”")
    assert "共 2 处问题" in body["message"] and body["field"] == "items.1"
    assert not OpinionItem.objects.exists()


def test_the_endpoint_is_documented_in_chinese():
    from govmedia.api import api

    operation = api.get_openapi_schema()["paths"]["/api/v1/opinion/vendor/items"]["post"]
    assert operation["summary"] == "服务商推送舆情信息" and "幂等" in operation["description"]


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "标题", "内容", "链接", "发布时间", "涉及单位", "命中规则"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "export.xlsx"
    return data


def test_an_excel_export_is_imported(world):
    rows = [
        [
            "A1",
            "停水",
            "幸福小区停水三天",
            "https://a.example/1",
            "2026-11-27 08:00",
            "天中街道",
            "停水",
        ],
        ["A2", "噪音", "工地夜间施工扰民", "", "2026-11-27 09:00", "陈集镇", "噪音"],
    ]
    result = vendor_import(
        actor=world.alice, vendor="甲公司", upload=_xlsx(rows), filename="export.xlsx"
    )
    assert len(result.created) == 2
    assert {i.org for i in result.created} == {world.tian, world.chen}
    again = vendor_import(
        actor=world.alice, vendor="甲公司", upload=_xlsx(rows), filename="export.xlsx"
    )
    assert again.created == [] and again.duplicates == ["A1", "A2"]


def test_an_excel_row_error_names_the_row_and_imports_nothing(world):
    rows = [
        ["A1", "停水", "幸福小区停水三天", "", "2026-11-27 08:00", "天中街道", ""],
        ["A2", "噪音", "", "", "不是时间", "", ""],
    ]
    with pytest.raises(ServiceError) as caught:
        vendor_import(
            actor=world.alice, vendor="甲公司", upload=_xlsx(rows), filename="export.xlsx"
        )
    assert "第 3 行" in caught.value.message
    assert not OpinionItem.objects.exists()


def test_a_json_export_is_imported_and_only_the_district_office_imports(world):
    document = json.dumps(
        [{"id": "J1", "content": "网传停水", "time": "2026-11-27T08:00:00+08:00"}]
    ).encode()
    result = vendor_import(
        actor=world.alice, vendor="乙公司", upload=io.BytesIO(document), filename="items.json"
    )
    assert result.created[0].org == world.district
    with pytest.raises(ServiceError, match="只有区政府办公室"):
        vendor_import(
            actor=world.tian_unit_admin,
            vendor="乙公司",
            upload=io.BytesIO(document),
            filename="items.json",
        )
