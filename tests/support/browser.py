"""Headless Debian Chromium through Playwright, plus an offline axe-core audit (xblocks.md §8–9).

Pytest-independent. Never run `playwright install`: the system `chromium` is used.

    with launch() as browser:
        page = browser.new_page()
        failures = watch_failed_requests(page)   # list that fills with "<status> <url>"
        page.goto(url)
        results = run_axe(page)                  # axe-core results, scoped to the blocks
        assert results["violations"] == []
        assert failures == []
"""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# The workbench itself serves no favicon; that 404 is not the blocks' doing.
IGNORED_FAILURES = ("/favicon.ico",)


def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        raise RuntimeError("Install the Debian package chromium (apt-get install chromium)")
    return path


@contextlib.contextmanager
def launch():
    """A headless Chromium browser (Playwright `Browser`), closed on exit."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run_axe(page, context: str = ".xblock-v1", tags: list[str] | None = None) -> dict:
    """Run axe-core on the elements matching `context`; return its raw results.

    Duplicate ids are not violations in axe 4.14: look for `duplicate-id-aria` in
    `results["incomplete"]` (see `incomplete_rule_ids`).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    options = {"runOnly": {"type": "tag", "values": tags or AXE_TAGS}}
    return page.evaluate("([context, options]) => axe.run(context, options)", [context, options])


def rule_ids(results: dict, section: str = "violations") -> set[str]:
    return {rule["id"] for rule in results[section]}


def describe_violations(results: dict) -> str:
    """Readable summary for assertion messages."""
    lines = []
    for rule in results["violations"]:
        targets = ", ".join(str(node["target"]) for node in rule["nodes"][:5])
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} -> {targets}")
    return "\n".join(lines)


def watch_failed_requests(page) -> list[str]:
    """Collect every request of `page` that fails or answers HTTP >= 400 (favicon excepted).

    A request the browser cancels because the page navigated away (`net::ERR_ABORTED`, such as the
    preview's reload poll in flight when a link is followed) has not failed: it is not counted."""
    failures: list[str] = []

    def on_response(response):
        if response.status >= 400 and not response.url.endswith(IGNORED_FAILURES):
            failures.append(f"{response.status} {response.url}")

    def on_failed(request):
        if not request.url.endswith(IGNORED_FAILURES) and request.failure != "net::ERR_ABORTED":
            failures.append(f"failed {request.url} ({request.failure})")

    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return failures
