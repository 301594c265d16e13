"""/answers/: open to everyone, only published entries valid today, no personal data, and a
per-client limit answering 429."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from govmedia.counterfeit import ratelimit
from govmedia.qa import services

from .conftest import entry_by_question, republish


@pytest.fixture
def client():
    return Client()


def test_the_public_search_needs_no_login_and_finds_the_answer(client, library):
    page = client.get("/answers/")
    assert page.status_code == 200 and "政务咨询问答查询" in page.content.decode()
    response = client.get("/answers/", {"q": "孩子出生了怎么上户口"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "新生儿怎么办理户口登记？" in html
    assert "《中华人民共和国户口登记条例》第七条" in html


def test_only_published_entries_valid_today_are_shown(world, client, library):
    today = timezone.localdate()
    expired = entry_by_question(library, "身份证丢了怎么补办？")
    republish(world, expired, valid_to=today - timedelta(days=1))
    withdrawn = entry_by_question(library, "结婚证丢了怎么补领？")
    services.entry_withdraw(
        actor=world.alice, entry_id=withdrawn.pk, version=withdrawn.version, reason="测试"
    )
    services.entry_create(
        actor=world.tian_editor,
        owner_org_id=world.tian.pk,
        content={"question": "天中街道补办证件的草稿问题", "answer": "草稿答复，未审核"},
    )
    html = client.get("/answers/", {"q": "证件丢了怎么补办"}).content.decode()
    assert "身份证丢了怎么补办？" not in html
    assert "结婚证丢了怎么补领？" not in html
    assert "草稿答复" not in html and "天中街道补办证件的草稿问题" not in html
    assert "不动产权证书丢了怎么补办？" in html  # a published, valid entry still shows


def test_the_public_page_shows_no_personal_data(world, client, library):
    entry = entry_by_question(library, "新生儿怎么办理户口登记？")
    html = client.get("/answers/", {"q": "新生儿户口登记"}).content.decode()
    assert entry.question in html
    # Who wrote, imported or reviewed an entry never leaves: no user names, no usernames.
    for user in (world.alice, world.tian_editor):
        assert user.username not in html
    assert world.alice.name not in html
    assert "csrfmiddlewaretoken" not in html  # a GET form, nothing posted


def test_the_rate_limit_answers_429(client, library, settings, monkeypatch):
    settings.QA_PUBLIC_SEARCH_PER_MINUTE = 3
    fixed = timezone.now()
    monkeypatch.setattr(ratelimit, "clock", lambda: fixed)
    for _ in range(3):
        assert client.get("/answers/", {"q": "身份证补办"}).status_code == 200
    response = client.get("/answers/", {"q": "身份证补办"})
    assert response.status_code == 429
    assert "过于频繁" in response.content.decode()
    # Another client address is counted apart.
    other = client.get("/answers/", {"q": "身份证补办"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    # The next window lets the first client in again.
    monkeypatch.setattr(ratelimit, "clock", lambda: fixed + timedelta(seconds=61))
    assert client.get("/answers/", {"q": "身份证补办"}).status_code == 200


def test_a_too_short_question_is_explained(client, library):
    response = client.get("/answers/", {"q": "证"})
    assert response.status_code == 200 and "请至少输入 2 个字" in response.content.decode()
