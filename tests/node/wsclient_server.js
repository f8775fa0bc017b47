// A Node.js `ws` server for the WebSocket client tests (tests/ws/test_client_against_node_ws.py).
// usage: node wsclient_server.js
// Listens on 127.0.0.1 (a free port), prints {"port": N} on its first line,
// then one JSON line per connection event ({"event": "close", "code": ...}).
// Every message is echoed with its type, except these text commands:
//   "close CODE REASON"  close the connection with that code and reason
//   "fragments"          send one text message in three frames
//   "bad-utf8"           send a text frame whose bytes are not UTF-8
//   "big N"              send N bytes as one binary message
// It stops when its standard input closes.
const { WebSocketServer } = require("ws");

const print = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const server = new WebSocketServer({
  host: "127.0.0.1",
  port: 0,
  maxPayload: 64 * 1024 * 1024,
  handleProtocols: (protocols) => (protocols.has("json") ? "json" : false),
});

server.on("listening", () => print({ port: server.address().port }));
server.on("connection", (ws, request) => {
  print({ event: "open", path: request.url, protocol: ws.protocol });
  ws.on("message", (data, isBinary) => {
    const text = isBinary ? null : data.toString();
    if (text !== null && text.startsWith("close ")) {
      const [, code, ...reason] = text.split(" ");
      ws.close(Number(code), reason.join(" "));
    } else if (text === "fragments") {
      ws.send("un ", { fin: false });
      ws.send("deux ", { fin: false });
      ws.send("trois", { fin: true });
    } else if (text === "bad-utf8") {
      ws.send(Buffer.from([0x6f, 0x6b, 0xff, 0xfe]), { binary: false });
    } else if (text !== null && text.startsWith("big ")) {
      ws.send(Buffer.alloc(Number(text.slice(4)), 0x61), { binary: true });
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
  ws.on("close", (code, reason) => print({ event: "close", code, reason: reason.toString() }));
  ws.on("error", (err) => print({ event: "error", message: err.message }));
});

process.stdin.on("end", () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
});
process.stdin.resume();
