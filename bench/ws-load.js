// WebSocket load: CONNECTIONS sockets each send a message, wait for its echo, and repeat for DURATION seconds;
// prints "round_trips_per_s p50_ms p99_ms". With IDLE=n it instead opens n sockets, holds them, prints "open n".
const WebSocket = require('ws');
const [url, connections, seconds, warmup] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5] || 0)];
const headers = process.env.AUTH ? { Authorization: process.env.AUTH } : {};
const payload = Buffer.alloc(Number(process.env.SIZE || 64), 'x');

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => reject(new Error('handshake answered ' + res.statusCode)));
  });
}

async function idle(n) {
  const sockets = [];
  for (let i = 0; i < n; i += 200) {
    sockets.push(...await Promise.all(Array.from({ length: Math.min(200, n - i) }, open)));
  }
  console.log('open ' + sockets.length);
  await new Promise((r) => setTimeout(r, Number(process.env.HOLD_MS || 5000)));
  sockets.forEach((s) => s.terminate());
}

async function load() {
  const sockets = await Promise.all(Array.from({ length: connections }, open));
  const latencies = [];
  let recording = false;
  let stop = false;
  const run = (ws) => new Promise((resolve) => {
    let sent = 0n;
    const next = () => {
      if (stop) { resolve(); return; }
      sent = process.hrtime.bigint();
      ws.send(payload);
    };
    ws.on('message', () => {
      if (recording) latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
      next();
    });
    next();
  });
  const all = Promise.all(sockets.map(run));
  await new Promise((r) => setTimeout(r, warmup * 1000));
  recording = true;
  const start = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  recording = false;
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  stop = true;
  await all;
  sockets.forEach((s) => s.terminate());
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.log((latencies.length / elapsed).toFixed(0) + ' ' + at(0.5).toFixed(2) + ' ' + at(0.99).toFixed(2));
}

(process.env.IDLE ? idle(Number(process.env.IDLE)) : load()).catch((e) => { console.error(e.message); process.exit(1); });
