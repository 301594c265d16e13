"""The pages satisfy the Content-Security-Policy in a real browser: no script, style or image is
refused on the dashboard, the lists, the publishing editor (Quill) and the API documentation
(Swagger UI). (The console message is Chromium's report of a refused resource or handler.)"""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .test_login_and_orgs import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_breaks_the_policy(page, world):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, world.tian_editor.username, PASSWORD)
    expect(
        page.get_by_role("link", name="退出").or_(page.get_by_role("button", name="退出"))
    ).to_be_visible()
    for url in ("/", "/registry/", "/publishing/", "/me/"):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto("/publishing/new/")
    expect(page.locator(".ql-editor")).to_be_visible()  # Quill started from its static file
    page.locator(".ql-editor").click()
    page.keyboard.type("区政府召开专题会议")
    expect(page.locator(".ql-editor")).to_contain_text("区政府召开专题会议")
    page.get_by_role("button", name="退出").click()
    log_in(page, world.tian_unit_admin.username, PASSWORD)  # the docs are for API users
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()  # Swagger UI rendered
    assert refused == []
