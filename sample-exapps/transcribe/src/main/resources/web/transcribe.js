// The live transcription page: Nextcloud loads this script on the app's top-menu page
// (/index.php/apps/app_api/embedded/<appid>/transcribe); harp-server's dev mode serves it from /exapps/<appid>/.
// Plain JavaScript without a build step: the microphone is recorded with the Web Audio API, downsampled to
// 16 kHz mono 16-bit PCM and sent over the WebSocket in 100 ms pieces; the text comes back as it is recognised.
// An audio file can be transcribed too, uploaded to the HTTP API.
(function () {
  'use strict';

  // Inside Nextcloud HTTP goes through AppAPI's proxy and the WebSocket through HaRP at /exapps/<appid>; in dev mode
  // both are under /exapps/<appid>/, where the page is.
  const embedded = location.pathname.match(/^(.*)\/apps\/app_api\/embedded\/([^/]+)\//);
  const httpBase = embedded ? embedded[1] + '/apps/app_api/proxy/' + embedded[2]
                            : location.pathname.replace(/\/[^/]*$/, '');
  const wsPath = embedded ? '/exapps/' + embedded[2] : httpBase;
  const headers = {};
  if (window.OC && OC.requestToken) headers.requesttoken = OC.requestToken; // Nextcloud's CSRF token
  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + wsPath + '/ws/live';
  const RATE = 16000;

  const root = document.getElementById('content') || document.body;
  root.innerHTML = `
    <div style="display:flex;flex-direction:column;height:100%;padding:12px;box-sizing:border-box;font-family:sans-serif">
      <div style="display:flex;gap:8px;align-items:center">
        <button id="tr-start">Start</button>
        <button id="tr-stop" disabled>Stop</button>
        <label>Language <input id="tr-lang" size="5" placeholder="auto"></label>
        <meter id="tr-level" min="0" max="1" value="0" style="width:120px"></meter>
        <span id="tr-state"></span>
      </div>
      <form id="tr-file-form" style="display:flex;gap:8px;align-items:center;margin-top:8px">
        <label>Or an audio file <input id="tr-file" type="file" accept=".wav,.aif,.aiff,.au,audio/wav,audio/x-wav,audio/aiff,audio/basic"></label>
        <button id="tr-upload" type="submit">Transcribe file</button>
      </form>
      <div id="tr-status" style="color:#a00;min-height:1.2em"></div>
      <div id="tr-text" style="flex:1;overflow:auto;white-space:pre-wrap;line-height:1.5"></div>
    </div>`;
  const $ = (id) => document.getElementById(id);
  // The recording under way, null when none: its socket, microphone and audio graph. Each recording keeps its own,
  // so that one that is finishing (its last utterance still with the engine) leaves the next one alone.
  let current = null;

  function line(m) {
    const p = document.createElement('div');
    const time = `[${m.start.toFixed(1)}–${m.end.toFixed(1)} s] `;
    p.textContent = time + (m.type === 'final' ? m.text : '⚠ ' + m.message);
    if (m.type === 'error') p.style.color = '#a00';
    $('tr-text').appendChild(p);
    $('tr-text').scrollTop = $('tr-text').scrollHeight;
  }

  function onMessage(rec, event) {
    const m = JSON.parse(event.data);
    if (m.type === 'final' || (m.type === 'error' && m.start !== undefined)) line(m);
    if (m.type === 'stopped') rec.socket.close();
    // A recording that is finishing still delivers its last texts, but the state shown is the next one's.
    if (current !== null && rec !== current) return;
    if (m.type === 'ready' || (m.type === 'final' && !rec.stopped)) $('tr-state').textContent = 'Listening';
    // Vosk sends the text heard so far; other engines say whether speech is heard or being transcribed.
    else if (m.type === 'partial') $('tr-state').textContent = m.text !== undefined ? '… ' + m.text
        : m.state === 'speech' ? 'Hearing speech…' : 'Transcribing…';
    else if (m.type === 'error' && m.start === undefined) $('tr-status').textContent = m.message;
    else if (m.type === 'stopped') $('tr-state').textContent = 'Stopped';
  }

  // Averages the samples of each 1/16000 s: enough of a low-pass for speech, and no library.
  function downsample(input, fromRate) {
    const ratio = fromRate / RATE, out = new Int16Array(Math.floor(input.length / ratio));
    for (let i = 0; i < out.length; i++) {
      const from = Math.floor(i * ratio), to = Math.min(input.length, Math.floor((i + 1) * ratio));
      let sum = 0;
      for (let j = from; j < to; j++) sum += input[j];
      const s = Math.max(-1, Math.min(1, sum / Math.max(1, to - from)));
      out[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
    }
    return out;
  }

  function buttons(recording) {
    $('tr-start').disabled = recording;
    $('tr-stop').disabled = !recording;
    if (!recording) $('tr-level').value = 0;
  }

  async function start() {
    if (current) return;
    const rec = { socket: null, stream: null, audio: null, stopped: false };
    current = rec;
    buttons(true);
    $('tr-status').textContent = '';
    $('tr-state').textContent = 'Connecting…';
    try {
      rec.stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    } catch (e) {
      $('tr-status').textContent = 'No microphone: ' + e.message;
      finish(rec);
      return;
    }
    if (rec.stopped) { finish(rec); return; } // Stop was pressed meanwhile
    const socket = rec.socket = new WebSocket(wsUrl);
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => onMessage(rec, event);
    socket.onclose = (e) => {
      if (rec === current && e.code !== 1000 && e.code !== 1005) $('tr-status').textContent = 'Connection closed: ' + (e.reason || e.code);
      finish(rec);
    };
    socket.onopen = () => {
      if (rec.stopped) { socket.close(); return; }
      const language = $('tr-lang').value.trim();
      socket.send(JSON.stringify(language ? { type: 'start', sampleRate: RATE, language } : { type: 'start', sampleRate: RATE }));
      const audio = rec.audio = new AudioContext();
      const source = audio.createMediaStreamSource(rec.stream);
      // ScriptProcessorNode is deprecated but needs no separate worklet file; 4096 frames is about 100 ms at 44.1/48 kHz.
      const node = audio.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = (e) => {
        if (rec.stopped || socket.readyState !== WebSocket.OPEN) return;
        const input = e.inputBuffer.getChannelData(0);
        let sum = 0;
        for (let i = 0; i < input.length; i++) sum += input[i] * input[i];
        $('tr-level').value = Math.min(1, Math.sqrt(sum / input.length) * 4);
        socket.send(downsample(input, audio.sampleRate).buffer);
      };
      source.connect(node);
      node.connect(audio.destination);
    };
  }

  // Ends a recording's audio: the microphone is released at once; its socket stays open for the last texts.
  function finish(rec) {
    rec.stopped = true;
    if (rec.audio) { rec.audio.close(); rec.audio = null; }
    if (rec.stream) { rec.stream.getTracks().forEach((t) => t.stop()); rec.stream = null; }
    if (rec === current) { current = null; buttons(false); }
  }

  // A whole file, posted as it is: the app converts what it can read (WAV, AIFF, AU) and answers with its segments.
  $('tr-file-form').onsubmit = async (e) => {
    e.preventDefault();
    const file = $('tr-file').files[0];
    if (!file) { $('tr-status').textContent = 'Choose an audio file first'; return; }
    $('tr-upload').disabled = true;
    $('tr-status').textContent = '';
    try {
      const language = $('tr-lang').value.trim();
      const res = await fetch(httpBase + '/api/transcribe' + (language ? '?language=' + encodeURIComponent(language) : ''),
        { method: 'POST', headers: { ...headers, 'Content-Type': file.type || 'application/octet-stream' }, body: file });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.error || res.status + ' ' + res.statusText);
      const title = document.createElement('div');
      title.textContent = file.name + ':';
      title.style.fontWeight = 'bold';
      $('tr-text').appendChild(title);
      body.segments.forEach((s) => line({ type: 'final', start: s.start, end: s.end, text: s.text.trim() }));
    } catch (err) {
      $('tr-status').textContent = file.name + ': ' + err.message;
    } finally {
      $('tr-upload').disabled = false;
    }
  };

  $('tr-start').onclick = start;
  $('tr-stop').onclick = () => {
    const rec = current;
    if (!rec) return;
    finish(rec);
    if (rec.socket && rec.socket.readyState === WebSocket.OPEN) rec.socket.send(JSON.stringify({ type: 'stop' }));
    else if (rec.socket) rec.socket.close();
  };
})();
