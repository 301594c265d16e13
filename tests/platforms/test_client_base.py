"""The constructor options every client shares (defaults declared once, on PlatformClientBase),
what each client declares for itself, and which clients can publish."""

import random
import time

import pytest

from govmedia.platforms.base import AccountRef, Credentials, Publication, PublishUnsupported
from govmedia.platforms.clients import CLIENTS, make_client
from govmedia.platforms.douyin import DouyinClient
from govmedia.platforms.httpjson import DEFAULT_TIMEOUT, Retry
from govmedia.platforms.kuaishou import KuaishouClient
from govmedia.platforms.wechat import MemoryTokenStore, WeChatClient
from govmedia.platforms.weibo import WeiboClient

REAL = {
    WeChatClient: ("https://api.weixin.qq.com", 20),
    WeiboClient: ("https://api.weibo.com", 50),
    DouyinClient: ("https://open.douyin.com", 20),
    KuaishouClient: ("https://open.kuaishou.com", 50),
}


@pytest.mark.parametrize("client_class", list(REAL))
def test_every_client_has_the_same_defaults(client_class):
    client = client_class()
    base_url, page_size = REAL[client_class]
    assert client.transport.base_url == base_url and client.page_size == page_size
    assert client.clock is time.time
    assert client.transport.sleep is time.sleep and client.transport.rng is random.random
    assert client.transport.timeout == DEFAULT_TIMEOUT and client.transport.retry == Retry()
    assert client.sandbox_search is False
    client.close()


@pytest.mark.parametrize("code", list(CLIENTS))
def test_make_client_passes_the_shared_options_by_keyword(code):
    retry = Retry(tries=5)
    client = make_client(code, "http://127.0.0.1:1", clock=lambda: 0.0, retry=retry, page_size=7)
    assert client.transport.base_url == "http://127.0.0.1:1"
    assert client.transport.retry is retry and client.page_size == 7 and client.clock() == 0.0
    client.close()


def test_a_page_size_the_platform_would_refuse_is_clamped():
    assert WeChatClient(page_size=500).page_size == 20
    assert WeiboClient(page_size=500).page_size == 100
    assert KuaishouClient(page_size=0).page_size == 1


def test_each_client_keeps_its_own_options():
    store = MemoryTokenStore()
    assert WeChatClient(token_store=store).tokens is store
    assert KuaishouClient(app_id="ks1").app_id == "ks1"
    token = Credentials({"access_token": "2.00x"})
    assert WeiboClient(search_credentials=token).search_credentials is token
    assert DouyinClient(sandbox_search=True).sandbox_search is True
    with pytest.raises(TypeError):
        WeiboClient(sandbox_search=True)  # Weibo searches for real (search_credentials)
    with pytest.raises(TypeError):
        DouyinClient(token_store=store)  # not an option of Douyin's


def test_only_wechat_and_weibo_can_publish():
    assert {code for code, cls in CLIENTS.items() if cls.can_publish} == {"wechat-mp", "weibo"}
    ref = AccountRef("x", Credentials({"access_token": "t", "open_id": "o"}))
    for client_class in (DouyinClient, KuaishouClient):
        client = client_class()
        with pytest.raises(PublishUnsupported) as raised:
            client.publish(ref, Publication(title="标题"))
        assert raised.value.code == "publish_unsupported"
        client.close()
