// The chat page: Nextcloud loads this script on the app's top-menu page
// (/index.php/apps/app_api/embedded/<appid>/chat); harp-server's dev mode serves it from /exapps/<appid>/.
// Plain JavaScript without a build step, to keep the sample small: conversations over the HTTP API, replies
// streamed over the WebSocket.
(function () {
  'use strict';

  // Where the app's routes are. Inside Nextcloud, HTTP goes through AppAPI's proxy and the WebSocket through
  // HaRP at /exapps/<appid>; in dev mode both are under /exapps/<appid>/.
  const embedded = location.pathname.match(/^(.*)\/apps\/app_api\/embedded\/([^/]+)\//);
  const httpBase = embedded ? embedded[1] + '/apps/app_api/proxy/' + embedded[2]
                            : location.pathname.replace(/\/[^/]*$/, '');
  const wsPath = embedded ? '/exapps/' + embedded[2] : httpBase;
  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + wsPath + '/ws';
  const headers = { 'Content-Type': 'application/json' };
  if (window.OC && OC.requestToken) headers.requesttoken = OC.requestToken; // Nextcloud's CSRF token

  const root = document.getElementById('content') || document.body;
  root.innerHTML = `
    <div style="display:flex;height:100%;font-family:sans-serif">
      <nav style="width:220px;border-right:1px solid #ccc;overflow:auto;padding:8px">
        <button id="chat-new" style="width:100%">New conversation</button>
        <ul id="chat-list" style="list-style:none;padding:0"></ul>
      </nav>
      <main style="flex:1;display:flex;flex-direction:column;padding:8px">
        <div id="chat-log" style="flex:1;overflow:auto;white-space:pre-wrap"></div>
        <div id="chat-status" style="color:#a00;min-height:1.2em"></div>
        <form id="chat-form" style="display:flex;gap:8px">
          <textarea id="chat-input" rows="3" style="flex:1" placeholder="Ask something"></textarea>
          <button id="chat-send" type="submit">Send</button>
          <button id="chat-stop" type="button" disabled>Stop</button>
        </form>
      </main>
    </div>`;
  const $ = (id) => document.getElementById(id);
  let conversation = null; // the open conversation's id, null for a new one
  let replyNode = null;    // where the reply being written goes

  function bubble(role, text) {
    const div = document.createElement('div');
    div.style.cssText = 'margin:6px 0;padding:6px;border-radius:6px;background:' + (role === 'user' ? '#e8f0fe' : '#f3f3f3');
    div.textContent = text;
    $('chat-log').appendChild(div);
    $('chat-log').scrollTop = $('chat-log').scrollHeight;
    return div;
  }

  async function api(method, path, body) {
    const res = await fetch(httpBase + path, { method, headers, body: body && JSON.stringify(body) });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || res.statusText);
    return res.status === 204 ? null : res.json();
  }

  async function refreshList() {
    const list = await api('GET', '/api/conversations');
    $('chat-list').innerHTML = '';
    for (const c of list) {
      const li = document.createElement('li');
      li.textContent = c.title;
      li.style.cssText = 'cursor:pointer;padding:4px;' + (c.id === conversation ? 'font-weight:bold' : '');
      li.onclick = () => open(c.id);
      $('chat-list').appendChild(li);
    }
  }

  async function open(id) {
    conversation = id;
    $('chat-log').innerHTML = '';
    if (id !== null) {
      const c = await api('GET', '/api/conversations/' + id);
      c.messages.forEach((m) => bubble(m.role, m.content));
    }
    refreshList();
  }

  // One WebSocket for the page, opened again when it drops.
  let socket;
  function connect() {
    socket = new WebSocket(wsUrl);
    socket.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (m.type === 'started') { conversation = m.conversation; replyNode = bubble('assistant', ''); }
      else if (m.type === 'token') { replyNode.textContent += m.text; }
      else if (m.type === 'done' || m.type === 'error') {
        busy(false);
        if (m.type === 'error') $('chat-status').textContent = m.message;
        refreshList();
      }
    };
    socket.onclose = () => { busy(false); setTimeout(connect, 2000); };
  }

  function busy(on) {
    $('chat-send').disabled = on;
    $('chat-stop').disabled = !on;
  }

  $('chat-form').onsubmit = (e) => {
    e.preventDefault();
    const content = $('chat-input').value.trim();
    if (!content) return;
    if (socket.readyState !== WebSocket.OPEN) { $('chat-status').textContent = 'Not connected to the chat; retrying'; return; }
    $('chat-status').textContent = '';
    bubble('user', content);
    $('chat-input').value = '';
    busy(true);
    socket.send(JSON.stringify({ type: 'send', conversation, content }));
  };
  $('chat-stop').onclick = () => socket.send(JSON.stringify({ type: 'cancel' }));
  $('chat-new').onclick = () => open(null);

  connect();
  refreshList().catch((e) => { $('chat-status').textContent = e.message; });
})();
