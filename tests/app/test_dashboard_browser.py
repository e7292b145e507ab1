"""The dashboard in headless Chromium (Debian `chromium`, driven by Playwright): sign in through
the form, charts drawn from the seeded traffic (canvases not blank), screenshot saved."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from tests.app.test_dashboard import TOKEN, console  # noqa: F401 - the seeded console fixture

CHROMIUM = os.environ.get("IEUM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# share of a canvas's pixels that are drawn (not transparent)
INK = """(id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { ink++; } }
  return ink / (c.width * c.height);
}"""


@pytest.fixture
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium이 없습니다: 'apt-get install -y chromium fonts-noto-cjk' (.ci/run이 설치합니다)"
        )
    return CHROMIUM


async def test_dashboard_renders_its_charts(console: TestClient, chromium: str) -> None:  # noqa: F811
    from playwright.async_api import async_playwright

    base = str(console.make_url("")).rstrip("/")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
            blocked: list[str] = []
            page.on(
                "request",
                lambda r: blocked.append(r.url) if not r.url.startswith(base) else None,
            )
            await page.goto(base + "/admin/dashboard?days=7")
            await page.get_by_label("관리자 토큰").fill(TOKEN)  # the sign-in form, not a header
            await page.get_by_role("button", name="들어가기").click()
            await page.wait_for_load_state()
            await page.goto(base + "/admin/dashboard?days=7")
            await page.wait_for_selector("body[data-charts=ready]", timeout=20_000)
            ids = await page.eval_on_selector_all("canvas", "cs => cs.map(c => c.id)")
            assert len(ids) == 9
            drawn = {i: await page.evaluate(INK, i) for i in ids}
            # every chart with data is drawn; bars and lines cover a visible part of the canvas
            assert all(drawn[i] > 0.005 for i in ids), drawn
            assert await page.eval_on_selector_all("canvas[data-drawn='1']", "cs => cs.length") == 9
            heading = await page.get_by_role("heading", name="하루 메시지 수 (채널별)").count()
            assert heading == 1
            label_px = await page.evaluate(
                "() => parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)"
            )
            assert label_px >= 20
            assert blocked == []  # nothing from a CDN: the page works offline
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / "dashboard.png"
            await page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000
        finally:
            await browser.close()
