"""core.middleware.NotFoundMiddleware: a page view that lets core.errors.NotFound escape answers
exactly as if it had raised Http404; the API keeps its JSON error."""

import pytest
from django.http import Http404, HttpResponse
from django.urls import path

from govmedia.core.errors import NotFound, ServiceError
from tests.conftest import logged_in_client


def raises_not_found(request):
    raise NotFound("对象不存在或您无权访问")


def raises_http404(request):
    raise Http404("对象不存在或您无权访问")


def raises_service_error(request):
    raise ServiceError("其他错误不归它管")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("not-found/", raises_not_found),
    path("http404/", raises_http404),
    path("service-error/", raises_service_error),
    path("fine/", fine),
]


@pytest.mark.urls(__name__)
def test_a_view_raising_not_found_gets_the_404_page_of_http404(client):
    not_found, http404 = client.get("/not-found/"), client.get("/http404/")
    assert not_found.status_code == http404.status_code == 404
    # the same page but for the request id it names
    assert not_found.content.replace(
        not_found["X-Request-ID"].encode(), b""
    ) == http404.content.replace(http404["X-Request-ID"].encode(), b"")
    assert not_found["Content-Type"] == http404["Content-Type"]
    # and the response went out through the other middleware like any other
    assert not_found["X-Request-ID"] and not_found["X-Frame-Options"] == "DENY"
    assert client.get("/fine/").content == b"ok"


@pytest.mark.urls(__name__)
def test_under_debug_it_is_still_the_chinese_page_never_the_technical_one(client, settings):
    settings.DEBUG = True
    for url in ("/not-found/", "/no-such-url/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404 and "页面不存在" in html
        assert "URLconf" not in html and "fine/" not in html  # no URL list
    assert "对象不存在或您无权访问" in client.get("/not-found/").content.decode()
    settings.DEBUG_TECHNICAL_PAGES = True  # a developer asks for Django's pages
    assert "URLconf" in client.get("/no-such-url/").content.decode()


@pytest.mark.urls(__name__)
def test_other_service_errors_are_not_turned_into_404(client):
    with pytest.raises(ServiceError):
        client.get("/service-error/")


def test_another_unit_s_object_is_the_project_404_page(world):
    client = logged_in_client(world.tian_unit_admin)
    assert client.get(f"/orgs/{world.tian.pk}/").status_code == 200
    response = client.get(f"/orgs/{world.chen.pk}/")  # get_scoped raises NotFound
    unknown = client.get("/no-such-page/")
    assert response.status_code == unknown.status_code == 404
    for page in (response, unknown):  # the project's Chinese page in the site's layout
        html = page.content.decode()
        assert "页面不存在" in html and "返回首页" in html and 'class="sidenav"' in html
    assert "对象不存在或您无权访问" in response.content.decode()  # the NotFound's own message


def test_the_api_keeps_its_json_not_found(world):
    client = logged_in_client(world.tian_unit_admin)
    response = client.get(f"/api/v1/orgs/{world.chen.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
