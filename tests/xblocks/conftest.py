"""Shared fixtures for the XBlock tests: a workbench server and a browser page.

The Python 3.11 run (tests/py311.ini) has neither xblock-sdk nor Playwright: both are
imported inside the fixtures, so collection never needs them, and tests that use the
fixtures are marked `sdk` or `browser` (deselected there).

    def test_x(workbench):                  # session-wide tests.support.workbench.Server
        requests to workbench.url; workbench.events() lists published events
    def test_y(workbench, browser_page):    # fresh Playwright page in a shared Chromium
        browser_page.goto(workbench.url + "/scenario/<entry>.0/")
        browser_page.failed_requests        # "<status> <url>" of failing requests so far
"""
import pytest


@pytest.fixture(scope="session")
def workbench(tmp_path_factory):
    pytest.importorskip("workbench", reason="xblock-sdk is not installed")
    from tests.support import workbench as workbench_support

    server = workbench_support.start(workdir=tmp_path_factory.mktemp("workbench"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    pytest.importorskip("playwright", reason="Playwright is not installed")
    from tests.support import browser

    with browser.launch() as launched:
        yield launched


@pytest.fixture
def browser_page(chromium):
    from tests.support import browser

    context = chromium.new_context(locale="fr-CA")
    page = context.new_page()
    page.failed_requests = browser.watch_failed_requests(page)
    page.set_default_timeout(10_000)
    yield page
    context.close()
