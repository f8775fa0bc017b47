"""The chat example with headless Chromium as one of its members."""

from __future__ import annotations

import json

from tests.peers.chromium import ChromiumPage
from tests.webdev.helpers import ChatClient, running_server, url

PAGE = """
const ws = new WebSocket(%s);
ws.onopen = () => ws.send(JSON.stringify({action: "register", name: "Chromium"}));
ws.onmessage = (e) => {
  const message = JSON.parse(e.data);
  if (message.event === "members") {
    report("members " + message.members.map((m) => m.name).join(","));
    ws.send(JSON.stringify({action: "typing"}));
    ws.send(JSON.stringify({action: "text", text: "depuis le navigateur"}));
  } else if (message.event === "text") {
    report("text " + message.member.name + " " + message.text + " " + message.received);
  }
};
ws.onerror = () => report("error");
"""


def test_chromium_registers_types_and_talks():
    with ChromiumPage() as page, running_server() as server:
        port = server.settings.port
        with ChatClient(port) as ana:
            ana.register("Ana")
            reports = page.run(PAGE % json.dumps(url(port)), expect=2)
            assert reports == ["members Ana", "text Chromium depuis le navigateur 1"], page.stderr
            assert ana.recv_event("joined")["member"]["name"] == "Chromium"
            assert ana.recv_event("typing")["member"]["name"] == "Chromium"
            assert ana.recv_event("text")["text"] == "depuis le navigateur"
            assert ana.recv_event("left")["member"]["name"] == "Chromium"  # the browser was stopped
