"""Headless Chromium as a real WebSocket client for the tests.

A page is served on 127.0.0.1 by a small HTTP server of the test; its
script calls ``report(text)`` (defined by the page) to POST what it wants
the test to see back to that server.  The test waits for the reports, never
longer than its timeout, then Chromium is stopped.

    with ChromiumPage() as page:           # skips locally / fails in CI without chromium
        origin = page.origin               # "http://127.0.0.1:<port>", known before loading
        reports = page.run('''
            const ws = new WebSocket("ws://127.0.0.1:%d", ["json"]);
            ws.onopen = () => ws.send("hello");
            ws.onmessage = (e) => { document.body.textContent = e.data; report(e.data); };
        ''' % port, expect=1)

Chromium is the Debian package ``chromium`` (.ci/run installs it).
"""

from __future__ import annotations

import bisect
import http.server
import shutil
import subprocess
import tempfile
import threading

from tests.conftest import require_peer

__all__ = ["chromium_path", "require_chromium", "ChromiumPage", "CHROMIUM_FLAGS"]

#: Flags for a quiet, self-contained headless run (no network of its own).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-port=0",  # keeps the new headless mode running until stopped
)

_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="shown"></pre><script>
let reportsMade = 0;
function report(text) {
  document.getElementById("shown").textContent += text + "\\n";
  // Each report is its own request, and requests may land out of order: number them.
  fetch("/report", {method: "POST", body: (reportsMade++) + "\\n" + String(text)});
}
window.onerror = (message) => report("JSERROR " + message);
%s
</script></body></html>"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def require_chromium() -> str:
    """The Chromium binary; skips locally and fails in CI when it is missing."""
    path = chromium_path()
    require_peer(path is not None, "chromium (Debian package 'chromium')")
    assert path is not None
    return path


class ChromiumPage:
    """Serves one page on 127.0.0.1 and runs it in headless Chromium."""

    def __init__(self) -> None:
        self.binary = require_chromium()
        self.reports: list[str] = []
        self._numbered: list[tuple[int, str]] = []
        self._changed = threading.Condition()
        self._script = ""
        page = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = (_PAGE % page._script).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")
                number, _, text = body.partition("\n")
                self.send_response(204)
                self.end_headers()
                with page._changed:
                    bisect.insort(page._numbered, (int(number), text))  # in the order the page made them
                    page.reports[:] = [text for _, text in page._numbered]
                    page._changed.notify_all()

            def log_message(self, *args: object) -> None:
                pass

        self._web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._web.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._web.server_address[1]}"
        self._web_thread = threading.Thread(target=self._web.serve_forever, name="chromium-page", daemon=True)
        self._web_thread.start()

    def run(self, script: str, expect: int = 1, timeout_s: float = 60) -> list[str]:
        """Load a page running ``script``; return once ``expect`` reports
        came (or the time ran out: then what came, for the test to judge).
        A report starting with "JSERROR" is an uncaught script error."""
        self._script = script
        with self._changed:
            self.reports.clear()
            self._numbered.clear()
        with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
            browser = subprocess.Popen(
                [self.binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"{self.origin}/page.html"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            try:
                with self._changed:
                    self._changed.wait_for(lambda: len(self.reports) >= expect, timeout=timeout_s)
            finally:
                browser.terminate()
                try:
                    _, errors = browser.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    browser.kill()
                    _, errors = browser.communicate(timeout=20)
        self.stderr = errors.decode("utf-8", "replace")[-3000:]
        with self._changed:
            return list(self.reports)

    def close(self) -> None:
        self._web.shutdown()
        self._web.server_close()
        self._web_thread.join(10)

    def __enter__(self) -> ChromiumPage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
