import subprocess
import sys

import pyotp
from django.test import Client

from govmedia.users.services import token_create, token_revoke
from tests.conftest import TOTP_SECRET, logged_in_client


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_openapi_schema_and_docs_are_local(db, world):
    client = logged_in_client(world.tian_unit_admin)
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/orgs" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger" in docs.lower() and "cdn" not in docs.lower()
    assert 'lang="zh-CN"' in docs and "接口文档" in docs and "返回平台" in docs
    # behind login: a visitor is sent to the login page, for the schema too
    for url in ("/api/v1/docs", "/api/v1/openapi.json"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_api_docs_only_for_the_roles_that_use_the_api(world):
    """Issue 14 item 11: the district office and unit administrators connect systems; an
    editor, a reviewer or 监督 sees neither the docs nor their entry in the navigation."""
    for user in (world.alice, world.tian_unit_admin):
        client = logged_in_client(user)
        assert client.get("/api/v1/docs").status_code == 200
        assert "接口文档" in client.get("/").content.decode()
    for user in (world.tian_editor, world.tian_reviewer, world.oversight):
        client = logged_in_client(user)
        assert client.get("/api/v1/docs").status_code == 404
        assert client.get("/api/v1/openapi.json").status_code == 404
        assert "接口文档" not in client.get("/").content.decode()


def test_api_requires_auth_with_a_chinese_json_error(db):
    response = Client().get("/api/v1/orgs")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized" and "登录" in response.json()["message"]


def test_token_auth_and_revocation(world):
    token, key = token_create(actor=world.tian_unit_admin, name="集约化平台")
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/users/me", headers=headers).json()["username"] == "tian_unit_admin"
    token.refresh_from_db()
    assert key not in token.key_hash and token.hint == key[:10]
    token_revoke(actor=world.tian_unit_admin, token_id=token.pk)
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401


def test_api_validation_and_service_errors(world):
    # A platform administrator's token needs a fresh second-factor code (issue 12).
    _, key = token_create(actor=world.alice, name="t", totp_code=pyotp.TOTP(TOTP_SECRET).now())
    client, headers = Client(), {"Authorization": f"Bearer {key}"}
    response = client.post(
        "/api/v1/orgs", data={"name": "x"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"
    response = client.post(
        "/api/v1/orgs",
        content_type="application/json",
        headers=headers,
        data={"name": "天中街道党政办公室", "org_type": "internal", "parent_id": world.tian.pk},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == "name" and "重名" in body["message"]
    response = client.post(
        "/api/v1/orgs",
        content_type="application/json",
        headers=headers,
        data={
            "name": "新机构",
            "org_type": "internal",
            "parent_id": world.tian.pk,
            "credit_code": "91110000600037341L",
        },
    )
    assert response.status_code == 201 and response.json()["credit_code"] == "91110000600037341L"
    org = response.json()
    response = client.patch(
        f"/api/v1/orgs/{org['id']}",
        content_type="application/json",
        headers=headers,
        data={"version": org["version"] + 5, "address": "x"},
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_api_creates_user_and_returns_password_once(world):
    _, key = token_create(actor=world.tian_unit_admin, name="t")
    client, headers = Client(), {"Authorization": f"Bearer {key}"}
    response = client.post(
        "/api/v1/users",
        content_type="application/json",
        headers=headers,
        data={
            "username": "api_user",
            "name": "接口用户",
            "org_id": world.tian_office.pk,
            "role": "editor",
        },
    )
    assert response.status_code == 201 and len(response.json()["initial_password"]) >= 10
    response = client.post(
        "/api/v1/users",
        content_type="application/json",
        headers=headers,
        data={
            "username": "boss",
            "name": "越权",
            "org_id": world.tian.pk,
            "role": "platform_admin",
        },
    )
    assert response.status_code == 403 and "无权授予" in response.json()["message"]


def run_settings(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup()"
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "govmedia.settings",
        "GOVMEDIA_VAR_DIR": "/tmp/govmedia-settings-test",
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=base | env, capture_output=True, text=True
    )


def test_production_refuses_insecure_defaults():
    result = run_settings({"DEBUG": "0", "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert (
        "SECRET_KEY" in result.stderr
        and "ALLOWED_HOSTS 不得为 *" in result.stderr
        and "AUDIT_HMAC_KEY" in result.stderr
    )
    good = {
        "DEBUG": "0",
        "ALLOWED_HOSTS": "gov.example",
        "SECRET_KEY": "s" * 50,
        "AUDIT_HMAC_KEY": "a" * 40,
        "CREDENTIALS_KEYS": "Y3JlZGVudGlhbHMta2V5LWZvci10ZXN0cy0zMi1ieXQ=",
    }
    assert run_settings(good).returncode == 0


def test_pages_are_chinese_and_cdn_free(world):
    page = logged_in_client(world.alice).get("/").content.decode()
    assert 'lang="zh-CN"' in page and "工作台" in page and "建设中" in page
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page
