"""No dashboard page or action answers without a maintainer's session, and none changes
anything without the session's CSRF token from the dashboard's own origin."""

from __future__ import annotations

import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from server.store.admin import Flag
from tests.server.dashboard.conftest import store_of
from tests.server.dashboard.dashboard_client import csrf_of, login, origin, post_form

#: What a maintainer needs before having a session. Adding to this list is a security decision.
PUBLIC = {"login_form", "login_submit", "static"}
_PLACEHOLDER = re.compile(r"\{[^}]+\}")


def dashboard_routes(client: TestClient) -> list[tuple[str, str, str | None]]:
    """(method, concrete path, route name) of every route the mounted sub-application answers."""
    subapps = [r.get_info() for r in client.app.router.resources() if "app" in r.get_info()]
    assert len(subapps) == 1, "the dashboard is mounted once"
    prefix, app = subapps[0]["prefix"], subapps[0]["app"]
    assert prefix == "/dashboard"
    routes = []
    for route in app.router.routes():
        resource = route.resource
        assert resource is not None
        path = resource.canonical  # mounting put the prefix in front of every resource
        assert path.startswith(prefix + "/"), path
        if resource.name == "static":
            path += "/dashboard.css"
        routes.append((route.method, _PLACEHOLDER.sub("x1", path), resource.name))
    return routes


async def test_every_route_but_the_login_form_needs_a_session(dashboard: TestClient) -> None:
    routes = dashboard_routes(dashboard)
    assert {name for _, _, name in routes} >= {"overview", "wages", "requester_table", "requester_page", "adapter_health",
                                               "contributor_list", "discount", "restore", "moderation_queue", "moderate",
                                               "logout"}
    assert {name for _, _, name in routes if name in PUBLIC} == PUBLIC
    checked = 0
    for method, path, name in routes:
        if name in PUBLIC:
            continue
        for cookie in (None, "forged-session-value"):
            headers = {"Cookie": f"fairclick_dashboard={cookie}"} if cookie else {}
            response = await dashboard.request(method, path, headers={"Origin": origin(dashboard), **headers},
                                               allow_redirects=False)
            body = await response.text()
            if method in ("GET", "HEAD"):
                assert response.status == 303, (method, path, response.status)
                assert response.headers["Location"].startswith("/dashboard/login?next="), path
            else:
                assert response.status == 401, (method, path, response.status)
            assert "FairClick maintainers" not in body and "<table" not in body, path
            checked += 1
    assert checked >= 2 * 11  # the eleven routes behind the login, with no cookie and a forged one


async def test_the_public_routes_show_only_the_login_form_and_the_stylesheet(dashboard: TestClient) -> None:
    form = await dashboard.get("/dashboard/login")
    assert form.status == 200 and 'name="token"' in await form.text()
    css = await dashboard.get("/dashboard/static/dashboard.css")
    assert css.status == 200 and "prefers-color-scheme: dark" in await css.text()


async def test_the_bare_prefix_leads_to_the_dashboard(dashboard: TestClient) -> None:
    response = await dashboard.get("/dashboard", allow_redirects=False)
    assert response.status == 301 and response.headers["Location"] == "/dashboard/"


async def test_every_dashboard_answer_forbids_scripts_frames_and_caching(dashboard: TestClient) -> None:
    await login(dashboard)
    for path in ("/dashboard/login", "/dashboard/", "/dashboard/nowhere"):
        response = await dashboard.get(path, allow_redirects=False)
        assert "script-src 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"


# --- CSRF and Origin ---------------------------------------------------------------------------------------


@pytest.fixture
async def pending_flag(dashboard: TestClient) -> Flag:
    return await store_of(dashboard).add_flag(
        Flag("flag0001", "install-1", "prolific", "lab-7", None, "scam", None, "pending", 1.0e9))


async def status_of(client: TestClient, flag_id: str) -> str:
    return (await store_of(client).flag(flag_id)).status


async def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(dashboard: TestClient, pending_flag: Flag) -> None:
    await login(dashboard)
    path = f"/dashboard/moderation/{pending_flag.flag_id}"
    refused = await post_form(dashboard, path, None, action="approve")
    assert refused.status == 403
    wrong = await post_form(dashboard, path, "not-the-token", action="approve")
    assert wrong.status == 403
    assert await status_of(dashboard, pending_flag.flag_id) == "pending"


async def test_a_change_from_another_origin_is_refused_even_with_the_token(dashboard: TestClient, pending_flag: Flag) -> None:
    csrf = await login(dashboard)
    path = f"/dashboard/moderation/{pending_flag.flag_id}"
    for headers in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/page"}):
        response = await dashboard.post(path, data={"csrf_token": csrf, "action": "approve"}, headers=headers,
                                        allow_redirects=False)
        assert response.status == 403, headers
    assert await status_of(dashboard, pending_flag.flag_id) == "pending"
    accepted = await post_form(dashboard, path, csrf, action="approve")
    assert accepted.status == 303
    assert await status_of(dashboard, pending_flag.flag_id) == "approved"


async def test_a_token_from_another_session_does_not_do(dashboard: TestClient, pending_flag: Flag) -> None:
    other_csrf = await login(dashboard)
    dashboard.session.cookie_jar.clear()
    await login(dashboard)
    response = await post_form(dashboard, f"/dashboard/moderation/{pending_flag.flag_id}", other_csrf, action="hide")
    assert response.status == 403
    assert await status_of(dashboard, pending_flag.flag_id) == "pending"


async def test_logging_out_needs_the_token_and_ends_the_session(dashboard: TestClient) -> None:
    csrf = await login(dashboard)
    assert (await post_form(dashboard, "/dashboard/logout", None)).status == 403
    assert (await dashboard.get("/dashboard/", allow_redirects=False)).status == 200
    out = await post_form(dashboard, "/dashboard/logout", csrf)
    assert out.status == 303 and out.headers["Location"] == "/dashboard/login"
    again = await dashboard.get("/dashboard/", allow_redirects=False)
    assert again.status == 303


async def test_the_logout_form_carries_the_session_token(dashboard: TestClient) -> None:
    csrf = await login(dashboard)
    page = await (await dashboard.get("/dashboard/wages")).text()
    assert csrf_of(page) == csrf
    assert web.HTTPSeeOther.status_code == 303
