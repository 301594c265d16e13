"""The article editor in a real Chromium: the include, the vendored Quill and article-editor.js.

No server: the page, our static files and a stand-in upload endpoint are answered by
Playwright's routing; any other request is refused and recorded (the offline rule).
"""

import base64
import json
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[3] / "govmedia" / "static"
ORIGIN = "http://editor.test"
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class ArticleForm(forms.Form):
    body = forms.CharField(label="正文", widget=forms.Textarea)


def _page_html(initial):
    form = ArticleForm(initial={"body": initial})
    editor = render_to_string(
        "publishing/includes/article_editor.html",
        {"field": form["body"], "upload_url": "/publishing/images/"},
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="/static/govmedia/css/app.css"></head><body>'
        '<form method="post" action="/submit">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN123">'
        f'{editor}<button type="submit">提交</button></form></body></html>'
    )


class Site:
    """What the page asked for: uploads, the posted form, and anything off-site."""

    def __init__(self, initial):
        self.html = _page_html(initial)
        self.upload_answer = (200, {"url": "/media/articles/1.png"})
        self.uploads = []
        self.posted = []
        self.foreign = []

    def handle(self, route):
        request = route.request
        url = request.url
        if not url.startswith(ORIGIN + "/"):
            self.foreign.append(url)
            return route.abort()
        path = url[len(ORIGIN) :].split("?")[0]
        if path == "/form":
            return route.fulfill(body=self.html, content_type="text/html; charset=utf-8")
        if path.startswith("/static/"):
            file = STATIC / path[len("/static/") :]
            if not file.is_file():
                return route.fulfill(status=404, body="")
            return route.fulfill(
                body=file.read_bytes(), content_type=TYPES.get(file.suffix, "text/plain")
            )
        if path == "/publishing/images/" and request.method == "POST":
            self.uploads.append(request)
            status, answer = self.upload_answer
            return route.fulfill(
                status=status, body=json.dumps(answer), content_type="application/json"
            )
        if path == "/submit":
            self.posted.append(request.post_data)
            return route.fulfill(body="<p>已提交</p>", content_type="text/html; charset=utf-8")
        if path.startswith("/media/"):
            return route.fulfill(body=PNG, content_type="image/png")
        return route.fulfill(status=404, body="")


@pytest.fixture
def open_editor(browser):
    contexts = []

    def open_editor(initial="", javascript=True):
        context = browser.new_context(locale="zh-CN", java_script_enabled=javascript)
        contexts.append(context)
        site = Site(initial)
        context.route("**/*", site.handle)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(ORIGIN + "/form")
        return page, site

    yield open_editor
    for context in contexts:
        context.close()


def body_value(page):
    return page.locator("#id_body").input_value()


def test_without_javascript_the_textarea_is_the_editor(open_editor):
    page, site = open_editor("<p>原有内容</p>", javascript=False)
    expect(page.locator("#id_body")).to_be_visible()
    expect(page.locator("[data-article-editor]")).to_be_hidden()
    page.locator("#id_body").fill("<p>无脚本也能编辑</p>")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交")).to_be_visible()
    assert "%E6%97%A0%E8%84%9A%E6%9C%AC" in site.posted[0]  # 无脚本, form-encoded


def test_the_editor_replaces_the_textarea_and_keeps_it_filled(open_editor):
    page, site = open_editor("<p>原有<strong>内容</strong></p>")
    editor = page.locator(".ql-editor")
    expect(editor).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()
    expect(editor.locator("strong")).to_have_text("内容")
    for css, title in [
        ("button.ql-bold", "加粗"),
        ("button.ql-italic", "斜体"),
        ("button.ql-underline", "下划线"),
        ('button.ql-list[value="ordered"]', "有序列表"),
        ('button.ql-list[value="bullet"]', "无序列表"),
        ("button.ql-blockquote", "引用"),
        ("button.ql-link", "链接"),
        ("button.ql-image", "图片"),
        ("button.ql-clean", "清除格式"),
        (".ql-header .ql-picker-label", "标题"),
    ]:
        expect(page.locator(css)).to_have_attribute("title", title)
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" 新增 文字")
    page.keyboard.press("Enter")
    page.keyboard.type("两个  空格")
    # Plain spaces (Quill 2.0.3 alone would write &nbsp; for every one), &nbsp; only to keep a run.
    assert body_value(page) == "<p>原有<strong>内容 新增 文字</strong></p><p>两个 &nbsp;空格</p>"
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交")).to_be_visible()
    assert site.posted[0].startswith("csrfmiddlewaretoken=TOKEN123&body=%3Cp%3E")
    assert site.foreign == []


def test_the_image_button_uploads_and_inserts(open_editor):
    page, site = open_editor("<p>正文</p>")
    page.locator(".ql-editor").click()
    with page.expect_file_chooser() as chooser:
        page.locator("button.ql-image").click()
    chooser.value.set_files({"name": "现场.png", "mimeType": "image/png", "buffer": PNG})
    expect(page.locator('.ql-editor img[src="/media/articles/1.png"]')).to_have_count(1)
    assert '<img src="/media/articles/1.png">' in body_value(page)
    [upload] = site.uploads
    assert upload.headers["x-csrftoken"] == "TOKEN123"
    assert upload.headers["content-type"].startswith("multipart/form-data")
    assert b'name="image"' in upload.post_data_buffer and PNG in upload.post_data_buffer
    assert site.foreign == []


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            {"name": "a.bmp", "mimeType": "image/bmp", "buffer": b"BM"},
            "只能上传 JPG、PNG、GIF 格式的图片",
        ),
        (
            {"name": "big.png", "mimeType": "image/png", "buffer": PNG + b"\0" * (2 * 1024 * 1024)},
            "图片不能超过 2 MB",
        ),
    ],
    ids=["type", "size"],
)
def test_wrong_files_are_refused_before_upload(open_editor, file, message):
    page, site = open_editor()
    page.locator(".ql-editor").click()
    with page.expect_file_chooser() as chooser:
        page.locator("button.ql-image").click()
    chooser.value.set_files(file)
    expect(page.locator(".article-editor-status")).to_contain_text(message)
    assert site.uploads == [] and page.locator(".ql-editor img").count() == 0


def test_the_servers_error_message_is_shown(open_editor):
    page, site = open_editor()
    site.upload_answer = (
        400,
        {"code": "image_invalid", "message": "图片文件已损坏，请重新选择。", "field": "image"},
    )
    page.locator(".ql-editor").click()
    with page.expect_file_chooser() as chooser:
        page.locator("button.ql-image").click()
    chooser.value.set_files({"name": "a.png", "mimeType": "image/png", "buffer": PNG})
    expect(page.locator(".article-editor-status")).to_have_text("图片文件已损坏，请重新选择。")
    expect(page.locator(".article-editor-status")).to_have_class("article-editor-status error")
    assert page.locator(".ql-editor img").count() == 0


PASTE = """(([html, withFile]) => {
  const data = new DataTransfer();
  if (html) data.setData("text/html", html);
  if (withFile) {
    const bytes = Uint8Array.from(atob(withFile), c => c.charCodeAt(0));
    data.items.add(new File([bytes], "截图.png", { type: "image/png" }));
  }
  document.querySelector(".ql-editor").dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
})"""


def test_pasted_data_images_are_uploaded_not_embedded(open_editor):
    page, site = open_editor("<p>正文</p>")
    page.locator(".ql-editor").click()
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    page.evaluate(
        PASTE, [f'<p>粘贴的文字<img src="{data_url}"><img src="file:///C:/a.png"></p>', None]
    )
    expect(page.locator('.ql-editor img[src="/media/articles/1.png"]')).to_have_count(1)
    expect(page.locator(".ql-editor")).to_contain_text("粘贴的文字")
    assert "data:" not in body_value(page) and "file:" not in body_value(page)
    assert len(site.uploads) == 1 and PNG in site.uploads[0].post_data_buffer


def test_a_pasted_screenshot_is_uploaded(open_editor):
    page, site = open_editor()
    page.locator(".ql-editor").click()
    page.evaluate(PASTE, [None, base64.b64encode(PNG).decode()])
    expect(page.locator('.ql-editor img[src="/media/articles/1.png"]')).to_have_count(1)
    assert "data:" not in body_value(page) and len(site.uploads) == 1


def test_an_empty_body_is_not_submitted(open_editor):
    page, site = open_editor()
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".article-editor-status")).to_have_text("请填写正文。")
    assert site.posted == []


DROP = """((png) => {
  const data = new DataTransfer();
  const bytes = Uint8Array.from(atob(png), c => c.charCodeAt(0));
  data.items.add(new File([bytes], "照片.png", { type: "image/png" }));
  const box = document.querySelector(".ql-editor p").getBoundingClientRect();
  document.querySelector(".ql-editor").dispatchEvent(new DragEvent("drop", {
    dataTransfer: data, bubbles: true, cancelable: true, clientX: box.left + 2, clientY: box.top + 5 }));
})"""


def test_a_dropped_image_is_uploaded(open_editor):
    page, site = open_editor("<p>正文</p>")
    page.evaluate(DROP, base64.b64encode(PNG).decode())
    expect(page.locator('.ql-editor img[src="/media/articles/1.png"]')).to_have_count(1)
    assert "data:" not in body_value(page) and len(site.uploads) == 1
