// The chat page: Nextcloud loads this script on the app's top-menu page
// (/index.php/apps/app_api/embedded/<appid>/chat); harp-server's dev mode serves it from /exapps/<appid>/.
// Plain JavaScript without a build step, to keep the sample small: conversations over the HTTP API, replies
// streamed over the WebSocket, or as server-sent events of the HTTP API where no WebSocket gets through (AppAPI's
// PHP proxy carries none).
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

  // Adds a piece of the reply, keeping the end of the conversation in view.
  function append(text) {
    replyNode.textContent += text;
    $('chat-log').scrollTop = $('chat-log').scrollHeight;
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
      li.onclick = () => open(c.id).catch(showError);
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
    await refreshList();
  }

  let replying = null; // how the reply being written arrives: 'socket', 'http' or null for none
  let cancelHttp = null; // stops the reply streamed over HTTP

  // One WebSocket for the page, opened again when it drops. Where it never opens (a proxy that cannot carry
  // WebSockets), replies come over HTTP instead and it is not tried again.
  let socket, opened = false, retry = 1000;
  function connect() {
    socket = new WebSocket(wsUrl);
    socket.onopen = () => { opened = true; retry = 1000; };
    socket.onmessage = (event) => {
      const m = JSON.parse(event.data);
      if (m.type === 'started') { conversation = m.conversation; replyNode = bubble('assistant', ''); }
      else if (m.type === 'token') { append(m.text); }
      else if (m.type === 'done' || m.type === 'error') {
        replying = null;
        busy(false);
        if (m.type === 'error') { $('chat-status').textContent = m.message; dropEmptyReply(); }
        refreshList().catch(showError);
      }
    };
    socket.onclose = () => {
      if (replying === 'socket') { replying = null; busy(false); $('chat-status').textContent = 'The connection was lost'; }
      if (opened) { setTimeout(connect, retry); retry = Math.min(2 * retry, 60000); }
    };
  }

  // A reply that failed before its first word leaves no empty bubble.
  function dropEmptyReply() {
    if (replyNode && replyNode.textContent === '') replyNode.remove();
    replyNode = null;
  }

  function showError(e) { $('chat-status').textContent = e.message; }

  function busy(on) {
    $('chat-send').disabled = on;
    $('chat-stop').disabled = !on;
  }

  // The reply over the HTTP API: a new conversation is created first (titled as the app titles them), then the
  // message is posted and the answer read as server-sent events. Aborting the request stops the reply.
  async function sendOverHttp(content) {
    const controller = new AbortController();
    cancelHttp = () => controller.abort();
    try {
      if (conversation === null) {
        const line = content.split('\n')[0];
        conversation = (await api('POST', '/api/conversations', { title: line.length > 60 ? line.slice(0, 60) + '...' : line })).id;
      }
      const res = await fetch(httpBase + '/api/conversations/' + conversation + '/messages',
        { method: 'POST', headers, body: JSON.stringify({ content }), signal: controller.signal });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || res.statusText);
      replyNode = bubble('assistant', '');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = (/^event: (.*)$/m.exec(block) || [])[1];
          const data = JSON.parse((/^data: (.*)$/m.exec(block) || [])[1] || '{}');
          if (event === 'token') append(data.text);
          else if (event === 'error') $('chat-status').textContent = data.message;
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError') showError(e);
    } finally {
      if (replyNode) dropEmptyReply();
      cancelHttp = null;
      replying = null;
      busy(false);
      refreshList().catch(showError);
    }
  }

  $('chat-form').onsubmit = (e) => {
    e.preventDefault();
    const content = $('chat-input').value.trim();
    if (!content || replying) return;
    $('chat-status').textContent = '';
    bubble('user', content);
    $('chat-input').value = '';
    busy(true);
    if (socket.readyState === WebSocket.OPEN) {
      replying = 'socket';
      socket.send(JSON.stringify({ type: 'send', conversation, content }));
    } else {
      replying = 'http';
      sendOverHttp(content);
    }
  };
  $('chat-stop').onclick = () => {
    if (replying === 'socket') socket.send(JSON.stringify({ type: 'cancel' }));
    else if (cancelHttp) cancelHttp();
  };
  $('chat-new').onclick = () => open(null).catch(showError);

  connect();
  refreshList().catch(showError);
})();
