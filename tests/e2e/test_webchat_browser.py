"""The web chat in headless Chromium (Debian `chromium`, driven by Playwright): keyboard use,
screen-reader labels, text size, tel: links; greet → program info → find center; screenshot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Stack

CHROMIUM = os.environ.get("IEUM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium이 없습니다: 'apt-get install -y chromium fonts-noto-cjk' (.ci/run이 설치합니다)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def test_greet_program_info_find_center_in_a_phone_sized_browser(stack: Stack, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="ko-KR")
    page.goto(stack.url + "/")
    log = page.get_by_role("log", name="대화 내용")
    log.get_by_text("이음").first.wait_for(timeout=30_000)

    # keyboard only: Tab to the first menu button and press Enter
    menu_button = page.get_by_role("button", name="지원 프로그램 안내")
    menu_button.focus()
    page.keyboard.press("Enter")
    page.locator(".bubble.bot").nth(1).wait_for(timeout=30_000)
    program = page.locator(".bubble.bot").last.get_by_role("button").first
    program.click()
    page.get_by_text("기준일").first.wait_for(timeout=30_000)

    box = page.get_by_role("textbox")
    box.fill("관악구 근처 센터 알려 주세요")
    box.press("Enter")
    page.locator(".card a[href^='tel:']").first.wait_for(timeout=30_000)

    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.bubble, button, textarea')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 18
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )  # fits the phone
    stored = page.evaluate("() => localStorage.getItem('ieum.user_id')")
    assert stored and len(stored) >= 32
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "webchat.png"), full_page=True)
    assert (SCREENSHOTS / "webchat.png").stat().st_size > 10_000
