"""Chinese error pages (400, 403, 404, 500, CSRF) in the site's layout, the API's JSON errors in
Chinese for every failure (500 raised in a view, unknown path, a validation error — django-ninja's
422, answered 400 as every bad input is —, CSRF), and the headers every
page carries (CSP without inline script, no-store for signed-in users)."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path as url_path

from govmedia import urls as project_urls
from tests.conftest import api_token, logged_in_client

HAN = re.compile(r"[\u4e00-\u9fff]")
TEMPLATES = Path(__file__).resolve().parents[2] / "govmedia" / "templates"


def api_client(user):
    key = api_token(user, "t")
    return Client(raise_request_exception=False, headers={"Authorization": f"Bearer {key}"})


def assert_api_error(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    assert body["code"] == code and HAN.search(body["message"]), body
    return body


def assert_page(response, status: int, *words: str):
    assert response.status_code == status
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'class="topbar"' in html and "返回首页" in html  # the site's layout, a way back
    for word in words:
        assert word in html
    assert "Traceback" not in html and "URLconf" not in html
    return html


# ---- the API -------------------------------------------------------------------------------


def test_a_500_raised_in_an_api_view_is_json_in_chinese(world, settings):
    client = api_client(world.alice)
    settings.AUDIT_HMAC_KEY = None  # a broken installation: the audit write fails in the view
    response = client.post(
        "/api/v1/orgs",
        data={"name": "新机构", "org_type": "internal", "parent_id": world.tian.pk},
        content_type="application/json",
    )
    body = assert_api_error(response, 500, "server_error")
    assert "服务器内部错误" in body["message"] and response["X-Request-ID"] in body["message"]
    assert "AttributeError" not in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_path_is_a_json_404(world, settings, debug):
    settings.DEBUG = debug
    client = api_client(world.tian_editor)
    for path in ("/api/v1/no-such-thing", "/api/v1/orgs/1/no-such-action", "/api/v2/orgs"):
        body = assert_api_error(client.get(path), 404, "not_found")
        assert path in body["message"]


def test_a_validation_error_names_the_field_and_the_value_in_chinese(world):
    client = api_client(world.alice)
    response = client.post(
        f"/api/v1/orgs/{world.tian_office.pk}/abolish",
        data={"reason": "机构改革", "effective_on": "2026-02-30"},
        content_type="application/json",
    )
    body = assert_api_error(response, 400, "invalid_input")
    assert body["message"] == "日期无效：2026-02-30" and body["field"] == "effective_on"
    response = client.post(
        "/api/v1/orgs", data={"name": "x"}, content_type="application/json"
    )  # two fields missing: the first in message/field, all of them in errors
    body = assert_api_error(response, 400, "invalid_input")
    assert body["message"].startswith("缺少必填项：")
    assert {e["field"] for e in body["errors"]} >= {"org_type"}
    assert all(HAN.search(e["message"]) for e in body["errors"])
    response = client.post("/api/v1/orgs", data="{not json", content_type="application/json")
    assert HAN.search(response.json()["message"]) and response.status_code == 400


def test_a_csrf_failure_on_the_api_is_json_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    session = client.session
    session["otp_verified"] = True
    session.save()
    response = client.post(
        "/api/v1/orgs",
        data={"name": "新机构", "org_type": "internal", "parent_id": world.tian.pk},
        content_type="application/json",
    )
    body = assert_api_error(response, 403, "csrf_failed")
    assert "CSRF" in body["message"] and "刷新" in body["message"]


def test_every_api_error_carries_the_field_key(db):
    body = assert_api_error(Client().get("/api/v1/orgs"), 401, "unauthorized")
    assert body["field"] is None


# ---- the pages -----------------------------------------------------------------------------


def test_404_page_in_chinese_with_the_safe_reason(world):
    client = logged_in_client(world.tian_unit_admin)
    assert_page(client.get("/no-such-page/"), 404, "页面不存在")
    html = assert_page(client.get(f"/orgs/{world.chen.pk}/"), 404, "对象不存在或您无权访问")
    assert "No Organization matches" not in html


def test_500_page_in_chinese_and_logged(world, settings, caplog):
    client = logged_in_client(world.tian_editor)
    client.raise_request_exception = False
    settings.AUDIT_HMAC_KEY = None
    response = client.post("/me/", {"name": "接口", "expires_days": ""})
    assert_page(response, 500, "服务器内部错误", response["X-Request-ID"])
    assert any(record.levelname == "ERROR" for record in caplog.records)


def test_500_page_under_debug_is_not_the_technical_page(world, settings):
    settings.DEBUG = True
    client = logged_in_client(world.tian_editor)
    client.raise_request_exception = False
    settings.AUDIT_HMAC_KEY = None
    response = client.post("/me/", {"name": "接口", "expires_days": ""})
    assert_page(response, 500, "服务器内部错误")


def raises_permission_denied(request):
    raise PermissionDenied("您无权查看该单位的考核结果")


def raises_english_permission_denied(request):
    raise PermissionDenied("internal detail")


# The project's URLs and error handlers, and two views that refuse (the project's own views
# answer "not yours" with a 404 by design).
urlpatterns = [
    url_path("forbidden/", raises_permission_denied),
    url_path("forbidden-en/", raises_english_permission_denied),
    *project_urls.urlpatterns,
]
handler400, handler403 = project_urls.handler400, project_urls.handler403
handler404, handler500 = project_urls.handler404, project_urls.handler500


@pytest.mark.urls(__name__)
def test_403_page_in_chinese_with_the_safe_reason(world):
    client = logged_in_client(world.tian_editor)
    assert_page(client.get("/forbidden/"), 403, "无权访问", "您无权查看该单位的考核结果")
    html = assert_page(client.get("/forbidden-en/"), 403, "您没有访问该页面的权限")
    assert "internal detail" not in html


def test_csrf_failure_page_in_chinese(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.tian_editor)
    response = client.post("/me/", {"name": "接口"})
    assert_page(response, 403, "安全校验", "刷新页面")


def test_400_page_in_chinese(db):
    response = Client().get("/login/", headers={"host": "evil.example.com"})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


# ---- headers and templates -----------------------------------------------------------------


def test_pages_carry_a_csp_without_inline_script_and_no_store_when_signed_in(world):
    anonymous = Client().get("/login/")
    policy = anonymous["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline' " not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    client = logged_in_client(world.tian_unit_admin)
    for url in ("/", "/users/", "/users/export.xlsx", "/api/v1/users/me"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_no_template_has_inline_script_or_event_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []
