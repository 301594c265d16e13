"""Issue 12 item 5, numbers and text the database refuses: huge integers, Unicode digits, lone
surrogates, NUL characters and over-long names get a 400 with a Chinese message naming the
field (the API's {code, message, field}), never a 500 – on SQLite and on PostgreSQL
(TEST_DATABASE_URL)."""

import json

import pytest

from govmedia.core.errors import ServiceError
from govmedia.core.numbers import MAX_BIGINT, optional_id, parse_id, parse_int
from govmedia.core.pagination import API_MAX_LIMIT
from govmedia.users.models import User
from tests.conftest import logged_in_client

HUGE = "9" * 30


def api(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return getattr(client, method)(url, data=raw, content_type="application/json")


def assert_400(response, field=None):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert (
        body["code"] and body["message"] and any("\u4e00" <= c <= "\u9fff" for c in body["message"])
    )
    if field is not None:
        assert body["field"] == field, body


def test_numbers_and_text_the_database_refuses(world, form_data):
    admin = logged_in_client(world.alice)
    # Huge integers and page sizes without a maximum (the fuzzer's 29 server errors).
    assert_400(api(admin, "get", f"/api/v1/orgs?limit={HUGE}"), "limit")
    assert_400(api(admin, "get", f"/api/v1/orgs?offset={HUGE}"), "offset")
    assert_400(api(admin, "get", f"/api/v1/audit/events?offset={2**63}"), "offset")
    assert_400(api(admin, "get", f"/api/v1/orgs?limit={API_MAX_LIMIT + 1}"), "limit")
    assert api(admin, "get", f"/api/v1/orgs?limit={API_MAX_LIMIT}").status_code == 200
    assert_400(api(admin, "get", f"/api/v1/orgs/{HUGE}"), "org_id")
    assert_400(api(admin, "get", f"/api/v1/users?org_id={HUGE}"), "org_id")
    assert_400(api(admin, "get", f"/api/v1/filings?org_id={2**63}"), "org_id")
    assert api(admin, "get", f"/api/v1/orgs/{2**63 - 1}").status_code == 404
    # Unicode digits, which str.isdigit() takes for digits and int() refuses.
    assert_400(api(admin, "get", "/api/v1/users?org_id=²"), "org_id")
    for url in ("/api/v1/accounts?platform=①", "/api/v1/suspects?platform=²"):
        assert api(admin, "get", url).status_code in (200, 400), url
    # A lone surrogate, a NUL and a huge integer in a JSON body: 400, naming the field.
    org = {"name": "新单位", "org_type": "internal", "parent_id": world.tian.pk}
    assert_400(
        api(admin, "post", "/api/v1/orgs", '{"name": "\\ud800", "org_type": "internal"}'), "name"
    )
    assert_400(api(admin, "post", "/api/v1/orgs", org | {"name": "天中\u0000办"}), "name")
    assert_400(api(admin, "patch", f"/api/v1/orgs/{world.tian.pk}", {"version": 10**30}), "version")
    assert_400(api(admin, "get", "/api/v1/orgs?q=%00"), "q")
    assert api(admin, "post", "/api/v1/orgs", org).status_code == 201

    # Lengths are the services' to check, not only the forms': a draft filing through the API…
    body = {k: v for k, v in form_data.items() if k not in ("platform", "registered_on")}
    body |= {"platform": "微信公众号", "registered_on": "2026-03-02", "kind": "open"}
    body |= {"org_id": world.tian.pk, "event_date": "2026-11-02"}
    unit = logged_in_client(world.tian_unit_admin)
    assert_400(api(unit, "post", "/api/v1/filings", body | {"name": "长" * 101}), "name")
    assert_400(
        api(unit, "post", "/api/v1/filings", body | {"principal_mobile": "1" * 21}),
        "principal_mobile",
    )
    assert api(unit, "post", "/api/v1/filings", body).status_code == 201
    # …and a user's name, which was silently cut to 50 characters.
    user = {"username": "longname", "name": "名" * 51, "org_id": world.tian.pk, "role": "editor"}
    assert_400(api(admin, "post", "/api/v1/users", user), "name")
    assert not User.objects.filter(username="longname").exists()


@pytest.mark.parametrize("value", ["²", "①", "٣", HUGE, "-1", "1e3", "%00"])
@pytest.mark.parametrize(
    "path",
    [
        "/monitoring/?org={v}&platform={v}",
        "/monitoring/posts/?account={v}",
        "/monitoring/runs/?account={v}",
        "/monitoring/rectifications/?org={v}",
        "/compliance/?org={v}",
        "/publishing/unapproved/?org={v}&account={v}",
        "/screening/lexicon/?owner={v}",
        "/counterfeit/?platform={v}",
        "/registry/?platform={v}&host_org_id={v}",
        "/registry/filings/?org_id={v}",
        "/orgs/?page={v}",
    ],
)
def test_pages_read_ids_with_one_helper(world, path, value):
    response = logged_in_client(world.alice).get(path.format(v=value))
    expected = 400 if value == "%00" else 200
    assert response.status_code == expected, (path, value, response.status_code)
    if expected == 400:
        assert "无效字符" in response.content.decode()


def test_the_parsing_helper():
    assert parse_int("42", field="n", label="数量") == 42
    assert parse_id(str(MAX_BIGINT)) == MAX_BIGINT
    for bad in ("²", "①", "٣", "", " ", "1.5", str(MAX_BIGINT + 1), "0", "-3", True):
        with pytest.raises(ServiceError) as caught:
            parse_id(bad, field="org_id", label="单位编号")
        assert caught.value.field == "org_id" and caught.value.status == 400
        assert optional_id(bad) is None
    assert parse_int("-3", field="n", label="差值", minimum=None) == -3
