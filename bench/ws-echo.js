// WebSocket echo server for the benchmark: echoes every message; prints nothing.
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2] || 18090);
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
