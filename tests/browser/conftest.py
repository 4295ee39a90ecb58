"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def screenshot_dir() -> Path:
    return Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots")).resolve()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Lift Django's async guard around each browser test, setup and teardown included.

    Playwright's sync API keeps an event loop running in this thread while the browser is open;
    the ORM calls made around it (fixtures, the database flush) are still synchronous.
    """
    if item.get_closest_marker("browser") is None:  # this hook sees every test of the run
        yield
        return
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab that fails the test on any console error (a CSP violation shows up as one)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.console_errors = errors
    yield tab
    context.close()
    assert errors == [], f"Browser console errors: {errors}"


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under SCREENSHOT_DIR (default test-artifacts/screenshots/)."""
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def eager_celery(settings):
    """Run ingest tasks inside the live server's thread, as soon as the submitting request commits."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def pytest_terminal_summary(terminalreporter):
    folder = screenshot_dir()
    if folder.exists() and any(folder.glob("*.png")):
        terminalreporter.write_line(f"Browser screenshots: {folder}")
