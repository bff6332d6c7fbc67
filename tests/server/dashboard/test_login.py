"""Logging in to the dashboard: tokens, the session cookie, login CSRF, brute-force slow-down."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from server.dashboard.security import digest
from tests.server.api import MakeClient
from tests.server.dashboard.conftest import store_of
from tests.server.dashboard.dashboard_client import ADMIN_TOKEN, csrf_of, login, origin, submit_login


def session_cookie(response: object) -> str:
    cookies = [c for c in response.headers.getall("Set-Cookie", []) if c.startswith("fairclick_dashboard=")]  # type: ignore[attr-defined]
    assert len(cookies) == 1, cookies
    return cookies[0]


async def test_the_admin_token_opens_a_session_with_a_hardened_cookie(dashboard: TestClient) -> None:
    response = await submit_login(dashboard)
    assert response.status == 303 and response.headers["Location"] == "/dashboard/"
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # plain http on loopback: a Secure cookie would never come back
    overview = await dashboard.get("/dashboard/")
    assert overview.status == 200
    assert "admin token (FAIRCLICK_ADMIN_TOKEN)" in await overview.text()


async def test_behind_a_tls_proxy_the_cookie_is_secure(dashboard: TestClient) -> None:
    form = await dashboard.get("/dashboard/login", headers={"X-Forwarded-Proto": "https"})
    form_cookie = form.headers["Set-Cookie"]
    assert "Secure" in form_cookie
    # The proxy speaks https to the browser, so the browser sends the Secure cookie back; this client is on http.
    response = await dashboard.post(
        "/dashboard/login",
        data={"csrf_token": csrf_of(await form.text()), "token": ADMIN_TOKEN},
        headers={"X-Forwarded-Proto": "https", "Origin": origin(dashboard).replace("http://", "https://"),
                 "Cookie": form_cookie.split(";")[0]},
        allow_redirects=False,
    )
    assert response.status == 303
    assert "Secure" in session_cookie(response)


async def test_a_wrong_token_opens_nothing(dashboard: TestClient) -> None:
    response = await submit_login(dashboard, "not-the-admin-token")
    assert response.status == 401
    assert "does not open the dashboard" in await response.text()
    assert not [c for c in response.headers.getall("Set-Cookie", []) if c.startswith("fairclick_dashboard=")]
    assert (await dashboard.get("/dashboard/", allow_redirects=False)).status == 303


async def test_without_an_admin_token_setting_only_created_tokens_work(make_client: MakeClient) -> None:
    client = await make_client(admin_token=None)
    assert (await submit_login(client, "")).status == 401
    await store_of(client).add_admin("alice", digest("alice-token-0123456789abcdef"), 0.0)
    assert (await submit_login(client, "alice-token-0123456789abcdef")).status == 303
    page = await (await client.get("/dashboard/")).text()
    assert "alice" in page


async def test_a_revoked_token_ends_its_sessions(make_client: MakeClient) -> None:
    client = await make_client()
    await store_of(client).add_admin("bob", digest("bob-token-0123456789abcdef"), 0.0)
    await login(client, "bob-token-0123456789abcdef")
    assert await store_of(client).revoke_admin("bob")
    assert (await client.get("/dashboard/", allow_redirects=False)).status == 303


async def test_changing_the_admin_token_ends_the_sessions_it_opened(make_client: MakeClient) -> None:
    first = await make_client(admin_token=ADMIN_TOKEN)
    await login(first)
    cookies = first.session.cookie_jar.filter_cookies(first.make_url("/dashboard/"))
    for token in (ADMIN_TOKEN, "a-new-admin-token-after-a-leak-0123456789", None):
        restarted = await make_client(admin_token=token)  # the same store, the token changed (or not)
        page = await restarted.get("/dashboard/", allow_redirects=False,
                                   headers={"Cookie": f"fairclick_dashboard={cookies['fairclick_dashboard'].value}"})
        assert page.status == (200 if token == ADMIN_TOKEN else 303), token


async def test_a_login_post_without_the_form_cookie_is_refused(dashboard: TestClient) -> None:
    form = await dashboard.get("/dashboard/login")
    csrf = csrf_of(await form.text())
    dashboard.session.cookie_jar.clear()  # a forged form posted from elsewhere has no cookie of ours
    response = await dashboard.post("/dashboard/login", data={"csrf_token": csrf, "token": ADMIN_TOKEN},
                                    headers={"Origin": origin(dashboard)}, allow_redirects=False)
    assert response.status == 403
    assert (await dashboard.get("/dashboard/", allow_redirects=False)).status == 303


async def test_a_login_from_another_origin_is_refused(dashboard: TestClient) -> None:
    response = await submit_login(dashboard, Origin="http://evil.example")
    assert response.status == 403


async def test_repeated_wrong_tokens_lock_the_address_out(dashboard: TestClient) -> None:
    statuses = [(await submit_login(dashboard, f"guess-{n}")).status for n in range(6)]
    assert statuses == [401] * 6  # the sixth wrong token starts a lockout
    locked = await submit_login(dashboard)  # even the right token waits
    assert locked.status == 429
    assert int(locked.headers["Retry-After"]) >= 1
    assert "wait" in await locked.text()
    assert not [c for c in locked.headers.getall("Set-Cookie", []) if c.startswith("fairclick_dashboard=")]
    assert (await dashboard.get("/dashboard/", allow_redirects=False)).status == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/elsewhere", "/dashboard\\@evil"])
async def test_after_login_the_redirect_stays_in_the_dashboard(dashboard: TestClient, target: str) -> None:
    form = await dashboard.get("/dashboard/login")
    response = await dashboard.post(
        "/dashboard/login",
        data={"csrf_token": csrf_of(await form.text()), "token": ADMIN_TOKEN, "next": target},
        headers={"Origin": origin(dashboard)}, allow_redirects=False,
    )
    assert response.headers["Location"] == "/dashboard/"


async def test_the_login_returns_to_the_page_asked_for(dashboard: TestClient) -> None:
    first = await dashboard.get("/dashboard/wages?x=1", allow_redirects=False)
    assert first.headers["Location"] == "/dashboard/login?next=/dashboard/wages?x%3D1"
    form = await dashboard.get(first.headers["Location"])
    html = await form.text()
    assert 'name="next" value="/dashboard/wages?x=1"' in html
    response = await dashboard.post(
        "/dashboard/login",
        data={"csrf_token": csrf_of(html), "token": ADMIN_TOKEN, "next": "/dashboard/wages?x=1"},
        headers={"Origin": origin(dashboard)}, allow_redirects=False,
    )
    assert response.headers["Location"] == "/dashboard/wages?x=1"


async def test_a_session_ends_after_its_lifetime(make_client: MakeClient) -> None:
    client = await make_client(admin_token=ADMIN_TOKEN, dashboard_session_hours=0.0)
    assert (await submit_login(client)).status == 303
    assert (await client.get("/dashboard/", allow_redirects=False)).status == 303
