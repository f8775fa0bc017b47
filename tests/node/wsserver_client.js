// A Node.js `ws` client for the SocketWebSocket server tests.
// usage: node wsserver_client.js URL
// Sends a text message, a binary one and a ping, prints what comes back as
// JSON lines, then closes with 1000 and prints the close code it got back.
const WebSocket = require("ws");

const url = process.argv[2];
const ws = new WebSocket(url, ["json"], { perMessageDeflate: true, handshakeTimeout: 10000 });
const print = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const timer = setTimeout(() => { print({ event: "timeout" }); process.exit(2); }, 20000);
let received = 0;

ws.on("open", () => {
  print({ event: "open", protocol: ws.protocol, extensions: ws.extensions });
  ws.send("héllo from node");
  ws.send(Buffer.from([0, 1, 2, 255]));
  ws.ping(Buffer.from("are you there"));
});
ws.on("pong", (data) => print({ event: "pong", data: data.toString() }));
ws.on("message", (data, isBinary) => {
  print(isBinary ? { event: "binary", hex: data.toString("hex") } : { event: "text", data: data.toString() });
  received += 1;
  if (received === 2) ws.close(1000, "done");
});
ws.on("close", (code) => { print({ event: "close", code }); clearTimeout(timer); });
ws.on("error", (err) => { print({ event: "error", message: err.message }); clearTimeout(timer); process.exitCode = 1; });
