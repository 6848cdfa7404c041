"""What the browser tests share: Debian's chromium driven by Playwright (no browser download),
`asistente serve` started as a subprocess on a free port, one browser context per visit that
records what left 127.0.0.1 and any dialog a script opened, and the axe-core audit.

Screenshots go to tests/artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from evals.process import LIBRARY_READY, free_port, running_server, wait_for_output
from tests.conftest import PROJECT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = PROJECT / "tests" / "artifacts" / "screenshots"
# The README's screenshots: the tests take them, in 256 colours to keep the repository small.
README_SCREENSHOTS = PROJECT / "docs" / "screenshots"
PASSWORD = "clave-e2e"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
AXE_FOLDER = PROJECT / "tests" / "axe"
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"


def require_browser() -> None:
    """Skip unless Debian's chromium and the playwright package are there."""
    if not CHROMIUM.is_file():
        pytest.skip("no está /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="falta el paquete playwright")


@contextmanager
def serving(
    root: Path, corpus: Path, env: Mapping[str, str] | None = None, ready: bool = True
) -> Iterator[dict[str, Any]]:
    """`asistente serve` on a free port over `corpus`, with staff mode on and its files under
    `root` (Gradio's file cache too, so that tests can look at what it keeps). The window opens
    at once and indexes behind it; with `ready`, this waits until the library is prepared
    (serve prints the indexing summary)."""
    port = free_port()
    settings = {
        "ASISTENTE_UI__STAFF_PASSWORD": PASSWORD,
        "ASISTENTE_UI__FEEDBACK_DB": str(root / "opiniones.sqlite"),
        "ASISTENTE_ANSWER__GENERATOR": "extractive",
        "ASISTENTE_CONFIG": str(root / "sin-configuracion.toml"),
        "GRADIO_TEMP_DIR": str(root / "gradio"),
        **(env or {}),
    }
    command = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)]
    command += ["--corpus", str(corpus), "--store", str(root / "store")]
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    log = root / "serve.log"
    with running_server(command, url, log=log, env=settings, cwd=root, timeout_s=240):
        if ready:
            wait_for_output(log, LIBRARY_READY)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        yield {
            "url": url,
            "corpus": corpus,
            "feedback": root / "opiniones.sqlite",
            "gradio": root / "gradio",
            "startup_s": time.monotonic() - started,
            "log": log,
        }


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium, launched by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_tab(page: Any, name: str) -> None:
    # Gradio keeps a visually hidden copy of the tab bar to measure it; click the real one.
    # A tab it measured as not fitting (a tab shown late, on a loaded machine) waits in the
    # bar's overflow menu instead.
    bar = page.locator(".tab-container:not(.visually-hidden)")
    tab = bar.get_by_role("tab", name=name, exact=True)
    overflow = page.locator(".overflow-menu:not(.hide) button").first
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if tab.is_visible():
            tab.click()
            return
        if overflow.is_visible():
            overflow.click()
            item = page.locator(".overflow-dropdown").get_by_role("button", name=name, exact=True)
            if item.is_visible():
                item.click()
                return
        page.wait_for_timeout(250)
    raise AssertionError(f"la pestaña «{name}» no aparece")


class Visit:
    """One browser context on the window, recording what a check needs: requests that left
    127.0.0.1 and any dialog a script opened."""

    def __init__(self, browser: Any, url: str, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(
            viewport=viewport,
            accept_downloads=True,
            locale="es-MX",
        )
        origin = url.split("/?")[0].rstrip("/")
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", self._request)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.get_by_label("Tu pregunta").wait_for(timeout=60_000)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            self.outside.append(request.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ask(self, question: str, *, press_enter: bool = True) -> Any:
        """Ask and wait for the answer of this turn; returns its message element. Records in
        `window.sawPending` whether the turn showed up before its answer was complete."""
        before = self.page.locator("section.turn:not(.pending)").count()
        self.page.evaluate(
            """() => { window.sawPending = false;
                const panel = document.querySelector('#transcript');
                new MutationObserver(() => {
                  if (panel.querySelector('section.turn.pending')) window.sawPending = true;
                }).observe(panel, {childList: true, subtree: true}); }"""
        )
        box = self.page.get_by_label("Tu pregunta")
        box.fill(question)
        if press_enter:
            box.press("Enter")
        else:
            self.page.get_by_role("button", name="Preguntar", exact=True).click()
        done = self.page.locator("section.turn:not(.pending)").nth(before)
        done.locator(".msg.bot").wait_for(timeout=120_000)
        return done.locator(".msg.bot")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        assert not self.outside, f"peticiones fuera de 127.0.0.1: {self.outside}"
        assert not self.dialogs, f"un script abrió diálogos: {self.dialogs}"
        self.context.close()


def axe_script() -> str:
    """axe-core's browser script, installed from npm (tests/axe/package-lock.json) when
    missing."""
    if not AXE_SCRIPT.is_file():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(AXE_FOLDER)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.1 A/AA on the page as it is now,
    one line each (rule, impact, the elements)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script())
    # colours are measured once transitions end (a button just enabled fades into its colour)
    results = page.evaluate(
        """async () => {
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
            const ending = document.getAnimations().filter(
                (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
            await Promise.race([
                Promise.all(ending.map((a) => a.finished.catch(() => null))),
                new Promise((done) => setTimeout(done, 3000)),
            ]);
            return (await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                resultTypes: ['violations'],
            })).violations;
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def publish_screenshot(taken: Path, name: str) -> None:
    """Copy a screenshot the tests took to the README's folder, as a palette PNG."""
    from PIL import Image

    README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with Image.open(taken) as image:
        image.convert("RGB").quantize(colors=256).save(README_SCREENSHOTS / name, optimize=True)
