// PgSnapMan operator dashboard: the fleet (GET /api/v1/fleet), a job's dumps, restores and test restores, and the
// live activity stream (GET /api/v1/activity/stream, server-sent events read with fetch so the bearer token goes in a
// header, never in a URL). Everything is rendered with textContent: no event text is ever parsed as HTML.
(function () {
  'use strict';
  const KEEP = 200;
  const state = { token: sessionStorage.getItem('pgsnapman.token') || '', server: '', job: '', stream: null, refresh: null };
  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = !message;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + state.token } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error('GET ' + path + ' answered ' + response.status + (problem.detail ? ': ' + problem.detail : ''));
    }
    return response.json();
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds >= 86400) return Math.floor(seconds / 86400) + ' d ' + Math.floor(seconds % 86400 / 3600) + ' h';
    if (seconds >= 3600) return Math.floor(seconds / 3600) + ' h ' + Math.floor(seconds % 3600 / 60) + ' min';
    if (seconds >= 60) return Math.floor(seconds / 60) + ' min';
    return seconds + ' s';
  }

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n, unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return unit === 0 ? n + ' B' : value.toFixed(1) + ' ' + units[unit];
  }

  function when(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
  }

  function row(cells, cls) {
    const tr = el('tr', null, cls);
    cells.forEach(([text, c]) => tr.appendChild(el('td', text, c)));
    return tr;
  }

  function fillSelect(select, values, chosen) {
    const keep = new Set([...select.options].map((o) => o.value));
    values.forEach(([value, label]) => {
      if (!keep.has(value)) {
        const option = el('option', label);
        option.value = value;
        select.appendChild(option);
      }
    });
    select.value = chosen;
  }

  async function loadFleet() {
    const query = new URLSearchParams();
    if (state.server) query.set('serverId', state.server);
    if (state.job) query.set('dumpJobId', state.job);
    const fleet = await api('/api/v1/fleet?' + query);
    const counts = Object.entries(fleet.counts).filter(([, n]) => n > 0).map(([h, n]) => n + ' ' + h).join(', ');
    $('summary').textContent = fleet.jobs.length + ' dump jobs' + (counts ? ' — ' + counts : '') + ' — '
      + bytes(fleet.storedBytes) + ' stored';
    const body = $('fleet').tBodies[0];
    body.replaceChildren(...fleet.jobs.map((job) => {
      const last = job.lastDump || {};
      const tr = row([
        [job.health, 'health'], [job.name || job.dumpJobId, 'job'], [job.serverName, 'server'],
        [when(last.scheduledAt)], [last.outcome || '–', 'outcome'], [last.verification || '–'],
        [duration(job.newestVerifiedAgeSeconds), 'age'], [duration(job.intervalSeconds)],
        [bytes(last.sizeBytes)], [bytes(job.storedBytes)], [job.kept.total], [job.reason, 'why']
      ], 'health-' + job.health);
      tr.dataset.job = job.dumpJobId;
      tr.addEventListener('click', () => showJob(job));
      return tr;
    }));
    fillSelect($('server-filter'), fleet.jobs.map((j) => [j.serverId, j.serverName]), state.server);
    fillSelect($('job-filter'), fleet.jobs.map((j) => [j.dumpJobId, j.name || j.dumpJobId]), state.job);
  }

  async function showJob(job) {
    $('detail-section').hidden = false;
    $('detail-title').textContent = 'Dump job ' + (job.name || job.dumpJobId) + ' on ' + job.serverName;
    const id = encodeURIComponent(job.dumpJobId);
    const dumps = await api('/api/v1/dumps?dumpJobId=' + id + '&size=10');
    $('dumps').tBodies[0].replaceChildren(...dumps.items.map((d) => row([[d.dumpId], [when(d.scheduledAt)], [d.outcome],
      [d.verification], [bytes(d.sizeBytes)], [bytes(d.storedBytes)],
      [d.failure ? d.failure.reason : (d.verificationError || '')]])));
    const restores = job.lastDump ? await api('/api/v1/restores?dumpId=' + encodeURIComponent(job.lastDump.dumpId) + '&size=10')
      : { items: [] };
    $('restores').tBodies[0].replaceChildren(...restores.items.map((r) => row([[r.restoreRequestId], [r.targetServerId],
      [r.targetDatabaseName], [r.outcome], [when(r.finishedAt)], [r.failureReason || '']])));
    const verifications = await api('/api/v1/verifications?dumpJobId=' + id + '&limit=10');
    $('verifications').tBodies[0].replaceChildren(...verifications.map((v) => row([[v.verificationId], [v.dumpId],
      [v.state], [v.serverId || '–'], [when(v.finishedAt)], [v.reason || '']])));
  }

  function addActivity(entry) {
    const li = el('li', null, 'activity level-' + entry.level);
    li.dataset.job = entry.jobId || '';
    li.appendChild(el('time', when(entry.occurredAt)));
    li.appendChild(el('span', (entry.subjectType || '') + ' ' + (entry.subjectId || entry.source) + ': ' + entry.message));
    const list = $('activity');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > KEEP) list.removeChild(list.lastChild);
    if (entry.kind === 'STATE') scheduleFleet();
  }

  function scheduleFleet() {
    clearTimeout(state.refresh);
    state.refresh = setTimeout(() => loadFleet().catch((e) => showError(e.message)), 500);
  }

  async function follow() {
    if (state.stream) state.stream.abort();
    const controller = new AbortController();
    state.stream = controller;
    $('activity').replaceChildren();
    const query = new URLSearchParams();
    if (state.server) query.set('serverId', state.server);
    if (state.job) query.set('jobId', state.job);
    try {
      const response = await fetch('/api/v1/activity/stream?' + query, {
        headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' }, signal: controller.signal
      });
      if (!response.ok) throw new Error('the activity stream answered ' + response.status);
      $('stream-state').textContent = 'live';
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
          if (data && /(^|\n)event:\s*activity/.test(block)) addActivity(JSON.parse(data));
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      showError(e.message);
    }
    if (!controller.signal.aborted) {
      $('stream-state').textContent = 'reconnecting…';
      setTimeout(follow, 3000);
    }
  }

  async function connect() {
    showError('');
    try {
      await loadFleet();
      follow();
    } catch (e) {
      $('stream-state').textContent = 'not connected';
      showError(e.message);
    }
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem('pgsnapman.token', state.token);
    connect();
  });
  $('server-filter').addEventListener('change', (e) => { state.server = e.target.value; connect(); });
  $('job-filter').addEventListener('change', (e) => { state.job = e.target.value; connect(); });
  setInterval(() => { if (state.token) loadFleet().catch((e) => showError(e.message)); }, 30000);
  if (state.token) {
    $('token').value = state.token;
    connect();
  }
})();
