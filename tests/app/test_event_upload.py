"""The admin page's upload form: the same import as the CLI, over multipart, up to 5 MB."""

from __future__ import annotations

import aiohttp
from aiohttp.test_utils import TestClient

from tests.app.test_dashboard import AUTH, console  # noqa: F401 - the seeded console fixture

JSON = {**AUTH, "Accept": "application/json"}
HEADER = "행사명,시작,종료,장소,지역,주최,설명\n"


def _form(body: bytes, name: str, dry_run: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", body, filename=name, content_type="text/csv")
    form.add_field("dry_run", dry_run)
    return form


async def test_upload_checks_then_publishes(console: TestClient) -> None:  # noqa: F811
    # about 1 MB: far above the app's 256 KiB JSON limit, within the 5 MB import limit
    rows = "".join(
        f"중장년 채용박람회 {i},2026.12.{1 + i % 28} 10:00,17:00,시청,서울,서울시,{'안내 ' * 40}\n"
        for i in range(4000)
    )
    body = (HEADER + rows).encode()
    assert len(body) > 1_000_000
    dry = await console.post("/admin/events/import", data=_form(body, "a.csv", "1"), headers=JSON)
    assert dry.status == 200
    assert (await dry.json())["events"] == 4000 and (await dry.json())["published"] is False
    small = (HEADER + "".join(rows.splitlines(keepends=True)[:20])).encode()
    done = await console.post("/admin/events/import", data=_form(small, "a.csv", "0"), headers=JSON)
    result = await done.json()
    assert result["published"] is True and result["created"] == 20


async def test_upload_refuses_a_locked_workbook(console: TestClient) -> None:  # noqa: F811
    locked = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
    resp = await console.post(
        "/admin/events/import", data=_form(locked, "x.xlsx", "0"), headers=JSON
    )
    assert resp.status == 400 and "암호" in (await resp.json())["error"]
    page = await console.get("/admin/events/import", headers=AUTH)
    assert 'type="file"' in await page.text()
