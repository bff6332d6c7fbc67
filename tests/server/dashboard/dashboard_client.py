"""Using the dashboard as a maintainer's browser does: log in through the form, post forms with their CSRF token."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

ADMIN_TOKEN = "test-admin-token-that-is-long-enough-0123"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_VALUES = re.compile(r'<desc class="value">([^<]*)</desc>')


def origin(client: TestClient) -> str:
    return str(client.make_url("")).rstrip("/")


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def chart_values(svg_html: str) -> list[str]:
    """The values a pygal chart drew, in drawing order."""
    return _VALUES.findall(svg_html)


async def submit_login(client: TestClient, token: str = ADMIN_TOKEN, **headers: str) -> Any:
    form = await client.get("/dashboard/login")
    return await client.post(
        "/dashboard/login",
        data={"csrf_token": csrf_of(await form.text()), "token": token, "next": "/dashboard/"},
        headers={"Origin": origin(client), **headers},
        allow_redirects=False,
    )


async def login(client: TestClient, token: str = ADMIN_TOKEN) -> str:
    """Log in; answers the session's CSRF token (from the page's logout form)."""
    response = await submit_login(client, token)
    assert response.status == 303, await response.text()
    page = await client.get("/dashboard/")
    assert page.status == 200
    return csrf_of(await page.text())


async def post_form(client: TestClient, path: str, csrf: str | None, **fields: str) -> Any:
    data = dict(fields)
    if csrf is not None:
        data["csrf_token"] = csrf
    return await client.post(path, data=data, headers={"Origin": origin(client)}, allow_redirects=False)
