"""What the dashboard's pages show, for data whose figures are known, and over the demo community."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient

from tests.server.api import bearer, new_token, timing
from tests.server.dashboard.conftest import store_of
from tests.server.dashboard.dashboard_client import chart_values, csrf_of, login, post_form


def figures(html: str) -> list[str]:
    return re.findall(r"<figure class=\"chart\">.*?</figure>", html, re.DOTALL)


def cells(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.DOTALL)
    assert table, f"no table #{table_id}"
    body = table.group(1).split("<tbody>")[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in rows]


async def report(client: TestClient, task_id: str, reward: str, *, installs: int, active_s: float = 600) -> None:
    for n in range(installs):
        token = await new_token(client)
        body = {"timings": [timing(f"{task_id}-{n:04d}", task_id=task_id, active_s=active_s,
                                   reward={"amount": reward, "currency": "EUR"})]}
        response = await client.post("/v1/timings", json=body, headers=bearer(token))
        assert response.status == 200, await response.text()
    await store_of(client).settle()


async def known_community(client: TestClient) -> None:
    """Five reports today on prolific: 'cheap' pays 6.00 EUR/h to four workers, 'fair' 18.00 EUR/h to one."""
    await report(client, "cheap", "1.00", installs=4)
    await report(client, "fair", "3.00", installs=1)


async def test_the_overview_counts_and_draws_what_arrived(dashboard: TestClient) -> None:
    await known_community(dashboard)
    await login(dashboard)
    html = await (await dashboard.get("/dashboard/")).text()
    assert cells(html, "coverage") == [["prolific", "5", "5", "5", "2", "1"]]
    timings_chart, installs_chart = figures(html)
    today = (datetime.now(UTC) - timedelta(minutes=5)).date().isoformat()  # the timings ended five minutes ago
    assert today in timings_chart
    assert chart_values(timings_chart)[-1] == "5" and set(chart_values(timings_chart)[:-1]) == {"0"}
    assert chart_values(installs_chart)[-1] == "5"


async def test_the_wages_page_weighs_task_hourly_medians_by_reports(dashboard: TestClient) -> None:
    await known_community(dashboard)
    await login(dashboard)
    html = await (await dashboard.get("/dashboard/wages")).text()
    # The weighted median is the cheap task's 6.00 EUR/h; four reports in five are below 12.02 EUR.
    assert cells(html, "platform-wages") == [["prolific", "2", "5", "6.00", "80 %", "80 %"]]
    histogram = figures(html)[0]
    assert "5–7.5" in histogram and "17.5–20" in histogram
    values = chart_values(histogram)
    assert values[2] == "80" and values[7] == "20" and sum(float(v) for v in values) == 100


async def test_a_flag_comment_holding_markup_is_shown_as_text(dashboard: TestClient) -> None:
    token = await new_token(dashboard)
    comment = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = await dashboard.post("/v1/flags", headers=bearer(token), json={
        "platform": "prolific", "requester_id": "lab-7", "reason": "phishing", "comment": comment})
    assert response.status == 201
    await login(dashboard)
    html = await (await dashboard.get("/dashboard/moderation")).text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<img" not in html


async def test_every_page_shows_the_demo_community(demo: TestClient) -> None:
    await login(demo)
    expectations = {
        "/dashboard/": ["demo-prolific", "demo-toloka", "demo-clickworker"],
        "/dashboard/wages": ["demo-prolific", "Task hourly medians"],
        "/dashboard/requesters": ["Demo requester 1", "Demo requester 15"],
        "/dashboard/requesters/demo-prolific/Demo%20requester%202": ["unpaid screen out × 2", "demo-task-"],
        "/dashboard/adapters": ["demo-toloka", "stopped matching"],
        "/dashboard/contributors": ["Demo requester 3", "Discount"],
        "/dashboard/moderation": ["Approve", "home address"],
    }
    for path, needles in expectations.items():
        response = await demo.get(path)
        html = await response.text()
        assert response.status == 200, path
        for needle in needles:
            assert needle in html, (path, needle)
        for figure in figures(html):
            assert chart_values(figure), (path, "a chart drew nothing")


async def test_the_requester_table_sorts_and_searches(demo: TestClient) -> None:
    await login(demo)

    def hourly(html: str) -> list[float]:
        return [float(row[4].split()[0]) for row in cells(html, "requesters") if row[4] != "–"]

    descending = await (await demo.get("/dashboard/requesters?sort=-hourly")).text()
    assert hourly(descending) == sorted(hourly(descending), reverse=True) and len(hourly(descending)) == 15
    assert 'aria-sort="descending"' in descending
    ascending = await (await demo.get("/dashboard/requesters?sort=hourly")).text()
    assert hourly(ascending) == sorted(hourly(descending))
    found = await (await demo.get("/dashboard/requesters?q=requester+1")).text()
    assert sorted(row[0] for row in cells(found, "requesters")) == sorted(
        ["Demo requester 1", *(f"Demo requester {n}" for n in range(10, 16))])
    narrowed = await (await demo.get("/dashboard/requesters?platform=demo-toloka")).text()
    assert {row[1] for row in cells(narrowed, "requesters")} == {"demo-toloka"}


async def test_the_adapter_page_says_which_adapter_stopped_and_since_when(demo: TestClient) -> None:
    await login(demo)
    html = await (await demo.get("/dashboard/adapters")).text()
    rows = {row[0]: row for row in cells(html, "adapters")}
    today = datetime.now(UTC).date()
    assert rows["demo-toloka"][1:3] == ["stopped matching", (today - timedelta(days=5)).isoformat()]
    assert rows["demo-clickworker"][1:3] == ["partly failing", (today - timedelta(days=3)).isoformat()]
    assert rows["demo-prolific"][1] == "ok"


async def test_a_maintainer_discounts_a_gaming_install_and_restores_it(demo: TestClient) -> None:
    csrf = await login(demo)
    store = store_of(demo)
    html = await (await demo.get("/dashboard/contributors")).text()
    suspects = [row[0] for row in cells(html, "disagreeing")]
    assert len(suspects) == 8  # the demo's gaming installs, and only them
    before = await store.group(("demo-prolific", "Demo requester 3"))
    response = await post_form(demo, f"/dashboard/contributors/{suspects[0]}/discount", csrf)
    assert response.status == 303
    assert response.headers["Location"].startswith(f"/dashboard/contributors?done=discounted&install={suspects[0]}")
    page = await (await demo.get(response.headers["Location"])).text()
    assert "discounted:" in page and [row[0] for row in cells(page, "discounted")] == [suspects[0]]
    after = await store.group(("demo-prolific", "Demo requester 3"))
    assert after.reports < before.reports
    restored = await post_form(demo, f"/dashboard/contributors/{suspects[0]}/restore", csrf_of(page))
    assert restored.status == 303
    assert (await store.group(("demo-prolific", "Demo requester 3"))).reports == before.reports
    unknown = await post_form(demo, "/dashboard/contributors/nobody-at-all/discount", csrf)
    assert unknown.status == 404


async def test_an_unknown_requester_page_is_a_plain_404(dashboard: TestClient) -> None:
    await login(dashboard)
    response = await dashboard.get("/dashboard/requesters/prolific/nobody")
    assert response.status == 404
    assert "No requester 'nobody'" in await response.text()
