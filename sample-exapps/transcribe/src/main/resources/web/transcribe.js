// The live transcription page: Nextcloud loads this script on the app's top-menu page
// (/index.php/apps/app_api/embedded/<appid>/transcribe); harp-server's dev mode serves it from /exapps/<appid>/.
// Plain JavaScript without a build step: the microphone is recorded with the Web Audio API, downsampled to
// 16 kHz mono 16-bit PCM and sent over the WebSocket in 100 ms pieces; the text comes back as it is recognised.
(function () {
  'use strict';

  // Inside Nextcloud the WebSocket goes through HaRP at /exapps/<appid>; in dev mode the page is already there.
  const embedded = location.pathname.match(/^(.*)\/apps\/app_api\/embedded\/([^/]+)\//);
  const wsPath = embedded ? '/exapps/' + embedded[2] : location.pathname.replace(/\/[^/]*$/, '');
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
      <div id="tr-status" style="color:#a00;min-height:1.2em"></div>
      <div id="tr-text" style="flex:1;overflow:auto;white-space:pre-wrap;line-height:1.5"></div>
    </div>`;
  const $ = (id) => document.getElementById(id);
  let socket = null, audio = null, stream = null;

  function line(m) {
    const p = document.createElement('div');
    const time = `[${m.start.toFixed(1)}–${m.end.toFixed(1)} s] `;
    p.textContent = time + (m.type === 'final' ? m.text : '⚠ ' + m.message);
    if (m.type === 'error') p.style.color = '#a00';
    $('tr-text').appendChild(p);
    $('tr-text').scrollTop = $('tr-text').scrollHeight;
  }

  function onMessage(event) {
    const m = JSON.parse(event.data);
    if (m.type === 'ready') $('tr-state').textContent = 'Listening';
    // Vosk sends the text heard so far; other engines say whether speech is heard or being transcribed.
    else if (m.type === 'partial') $('tr-state').textContent = m.text !== undefined ? '… ' + m.text
        : m.state === 'speech' ? 'Hearing speech…' : 'Transcribing…';
    else if (m.type === 'final') { line(m); $('tr-state').textContent = 'Listening'; }
    else if (m.type === 'error') { if (m.start !== undefined) line(m); else $('tr-status').textContent = m.message; }
    else if (m.type === 'stopped') { $('tr-state').textContent = 'Stopped'; socket.close(); }
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

  async function start() {
    $('tr-status').textContent = '';
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    } catch (e) {
      $('tr-status').textContent = 'No microphone: ' + e.message;
      return;
    }
    socket = new WebSocket(wsUrl);
    socket.binaryType = 'arraybuffer';
    socket.onmessage = onMessage;
    socket.onclose = (e) => { if (e.code !== 1000 && e.code !== 1005) $('tr-status').textContent = 'Connection closed: ' + (e.reason || e.code); stopAudio(); };
    socket.onopen = () => {
      const language = $('tr-lang').value.trim();
      socket.send(JSON.stringify(language ? { type: 'start', sampleRate: RATE, language } : { type: 'start', sampleRate: RATE }));
      audio = new AudioContext();
      const source = audio.createMediaStreamSource(stream);
      // ScriptProcessorNode is deprecated but needs no separate worklet file; 4096 frames is about 100 ms at 44.1/48 kHz.
      const node = audio.createScriptProcessor(4096, 1, 1);
      node.onaudioprocess = (e) => {
        const input = e.inputBuffer.getChannelData(0);
        let sum = 0;
        for (let i = 0; i < input.length; i++) sum += input[i] * input[i];
        $('tr-level').value = Math.min(1, Math.sqrt(sum / input.length) * 4);
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(downsample(input, audio.sampleRate).buffer);
      };
      source.connect(node);
      node.connect(audio.destination);
      $('tr-start').disabled = true;
      $('tr-stop').disabled = false;
    };
  }

  function stopAudio() {
    if (audio) { audio.close(); audio = null; }
    if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
    $('tr-start').disabled = false;
    $('tr-stop').disabled = true;
    $('tr-level').value = 0;
  }

  $('tr-start').onclick = start;
  $('tr-stop').onclick = () => {
    stopAudio();
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'stop' }));
  };
})();
