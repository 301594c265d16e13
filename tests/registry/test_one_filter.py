"""One filter definition per list: the page, its Excel export and the API find the same rows."""

import pytest

from tests.conftest import logged_in_client
from tests.registry.filing_steps import file_account
from tests.registry.test_export_scope import both_townships, sheet_rows  # noqa: F401

QUERIES = [
    {"q": "微博"},
    {"q": "天中"},
    {"org": "党政办"},
    {"verified": "1"},
    {"numbered": "1"},
    {"numbered": "0"},
    {"status": "running"},
]
# A page ignores a value it cannot read (an old bookmark still opens the list); the API tells
# its client the value is wrong.
UNREADABLE = [{"status": "nonsense"}, {"platform": "abc"}]


def _page_names(client, url, params) -> set[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return {row.name for row in response.context["page"].object_list}


def _api_names(client, url, params) -> set[str]:
    response = client.get(url, params | {"limit": 200})
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    "params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
def test_accounts_page_export_and_api_agree(world, both_townships, params):  # noqa: F811
    client = logged_in_client(world.alice)
    page = _page_names(client, "/registry/", params)
    export = {
        r["政务新媒体名称"] for r in sheet_rows(client.get("/registry/excel/accounts.xlsx", params))
    }
    api = _api_names(client, "/api/v1/accounts", params)
    assert page == export == api


@pytest.mark.parametrize(
    "params",
    [
        {"q": "陈集"},
        {"kind": "suspend"},
        {"state": "filed"},
        {"org": "天中"},
        {"deadline": "overdue"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_filings_page_export_and_api_agree(world, both_townships, params):  # noqa: F811
    client = logged_in_client(world.alice)
    page = _page_names(client, "/registry/filings/", params)
    export = {
        r["政务新媒体名称"] for r in sheet_rows(client.get("/registry/excel/filings.xlsx", params))
    }
    api = _api_names(client, "/api/v1/filings", params)
    assert page == export == api


def test_the_search_box_matches_the_registrant_everywhere(world, form_data, platforms):
    file_account(
        world, form_data, name="便民服务号", handle="bianmin", registrant="天中街道便民服务中心"
    )
    client = logged_in_client(world.alice)
    params = {"q": "便民服务中心"}
    assert _page_names(client, "/registry/", params) == {"便民服务号"}
    assert _api_names(client, "/api/v1/accounts", params) == {"便民服务号"}
