"""/verify/: the public page, anonymous, over real HTTP."""

import re

from django.test import Client

from govmedia.counterfeit import ratelimit
from govmedia.counterfeit.models import SuspectAccount
from govmedia.registry.models import AccountStatus

from .conftest import MOBILE


def answer(page: str) -> str:
    a, b = re.search(r"验证问题：(\d) 加 (\d) 等于几", page).groups()
    return str(int(a) + int(b))


def challenge(page: str) -> str:
    return re.search(r'name="challenge" value="([^"]+)"', page).group(1)


def test_a_registered_account_shows_its_filing_number_and_no_personal_data(registry):
    client = Client()
    response = client.get("/verify/", {"q": "天中发布"})
    page = response.content.decode()
    assert response.status_code == 200
    account = registry["tian"]
    for expected in (account.name, account.filing_no, "天中街道", "微信公众号", "运行中", "已认证"):
        assert expected in page, expected
    assert MOBILE not in page and "0530-2212021" not in page
    for person in ("王联系", "principal负责人", "person_responsible负责人"):
        assert person not in page
    # By the exact handle, whatever its case.
    assert account.filing_no in client.get("/verify/", {"q": "DT_TIANZHONG001"}).content.decode()


def test_suspended_and_cancelled_accounts_say_so(registry):
    account = registry["chen"]
    account.status = AccountStatus.CANCELLED
    account.save()
    page = Client().get("/verify/", {"q": "陈集发布"}).content.decode()
    assert "已注销" in page and "不代表官方" in page


def test_an_unknown_name_is_not_registered_and_says_how_to_report(registry):
    page = Client().get("/verify/", {"q": "田中发布"}).content.decode()
    assert "未在本平台备案" in page
    assert "/verify/report/?name=" in page


def test_too_short_a_query_is_refused_with_a_message(registry):
    page = Client().get("/verify/", {"q": "天"}).content.decode()
    assert "请至少输入 2 个字" in page and "未在本平台备案" not in page


def test_the_page_needs_no_login_even_for_a_user_half_logged_in(world, registry):
    world.tian_editor.must_change_password = True
    world.tian_editor.save()
    client = Client()
    client.force_login(world.tian_editor)
    assert client.get("/verify/", {"q": "天中发布"}).status_code == 200
    assert 'href="/verify/"' in Client().get("/login/").content.decode()


def test_searches_are_rate_limited_per_client(registry, rate_clock):
    client = Client(REMOTE_ADDR="203.0.113.7")
    rate_clock.advance(seconds=29)  # the window is the clock's minute, not the first request's
    for _ in range(ratelimit.SEARCH_LIMIT.count):
        assert client.get("/verify/", {"q": "天中发布"}).status_code == 200
    rate_clock.advance(seconds=30)  # 01:00:59, still the same minute
    limited = client.get("/verify/", {"q": "天中发布"})
    assert limited.status_code == 429
    assert "过于频繁" in limited.content.decode()
    # Another address is not affected; the address itself is not stored.
    assert Client(REMOTE_ADDR="203.0.113.8").get("/verify/", {"q": "天中"}).status_code == 200
    assert not any("203.0.113" in key for key in _counter_keys())
    # The next minute is a new window.
    rate_clock.advance(seconds=1)
    assert client.get("/verify/", {"q": "天中发布"}).status_code == 200


def _counter_keys():
    from govmedia.counterfeit.models import RateCounter

    return list(RateCounter.objects.values_list("key", flat=True))


def test_a_citizen_reports_a_counterfeit(registry, platforms):
    client = Client(REMOTE_ADDR="198.51.100.1")
    page = client.get("/verify/report/", {"name": "田中发布"}).content.decode()
    assert 'value="田中发布"' in page
    form = {
        "platform": platforms["douyin"].pk,
        "display_name": "田中发布",
        "handle": "tz_fake_01",
        "verified": "",
        "description": "冒充天中街道发布通知",
        "contact": "13912345678",
        "challenge": challenge(page),
        "answer": answer(page),
        "website": "",
    }
    response = client.post("/verify/report/", form)
    assert response.status_code == 302 and response.url == "/verify/report/done/"
    suspect = SuspectAccount.objects.get()
    assert suspect.source == "public_report" and suspect.matched_account == registry["tian"]
    assert suspect.reports.get().reporter_contact == "13912345678"
    assert "举报已收到" in client.get(response.url).content.decode()


def test_a_wrong_sum_is_refused_and_the_form_kept(registry, platforms):
    client = Client(REMOTE_ADDR="198.51.100.2")
    page = client.get("/verify/report/").content.decode()
    form = {
        "platform": platforms["douyin"].pk,
        "display_name": "田中发布",
        "challenge": challenge(page),
        "answer": str(int(answer(page)) + 1),
    }
    response = client.post("/verify/report/", form)
    text = response.content.decode()
    assert response.status_code == 400 and "回答不正确" in text and 'value="田中发布"' in text
    assert SuspectAccount.objects.count() == 0
    # A forged challenge is no better.
    response = client.post("/verify/report/", form | {"challenge": "forged", "answer": "2"})
    assert response.status_code == 400 and SuspectAccount.objects.count() == 0


def test_the_honeypot_stores_nothing(registry, platforms):
    client = Client(REMOTE_ADDR="198.51.100.3")
    page = client.get("/verify/report/").content.decode()
    form = {
        "platform": platforms["douyin"].pk,
        "display_name": "田中发布",
        "challenge": challenge(page),
        "answer": answer(page),
        "website": "http://spam.example",
    }
    response = client.post("/verify/report/", form)
    assert response.status_code == 302
    assert SuspectAccount.objects.count() == 0


def test_reports_are_rate_limited_per_client(registry, platforms, rate_clock):
    client = Client(REMOTE_ADDR="198.51.100.4")
    for _ in range(ratelimit.REPORT_LIMIT.count):
        assert client.post("/verify/report/", {}).status_code == 400
        rate_clock.advance(minutes=11)  # five reports in 44 minutes, all in the 01:00 hour
    limited = client.post("/verify/report/", {})
    assert limited.status_code == 429 and "举报过于频繁" in limited.content.decode()
    rate_clock.advance(minutes=5)  # 02:00: the next hour
    assert client.post("/verify/report/", {}).status_code == 400
