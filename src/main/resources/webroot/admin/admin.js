// The Mallgate admin page. Talks to the admin API on this origin with the token the operator typed in, kept in
// sessionStorage only (gone with the tab) and sent in the Authorization header only, never in a URL. The sandbox
// prints a link /admin/#token=<token> that signs in at once: a fragment never reaches the server (nor a proxy's log),
// and the page moves it into sessionStorage and out of the address bar and history before anything else. Every value
// from the API is written with textContent (never as HTML), and links only ever point at http(s) URLs.
'use strict';

(function () {
  const KEY = 'mallgate.adminToken';
  const PAGE = 200;
  const byId = (id) => document.getElementById(id);
  /** The mall whose apps are shown below the table, or null. */
  let appsMall = null;

  function token() {
    return sessionStorage.getItem(KEY);
  }

  /** Moves a token given as #token=... into sessionStorage and removes the fragment; true when there was one. */
  function takeTokenFromFragment() {
    const given = new URLSearchParams(location.hash.slice(1)).get('token');
    if (location.hash) {
      history.replaceState(null, '', location.pathname + location.search);
    }
    if (!given || !given.trim()) {
      return false;
    }
    sessionStorage.setItem(KEY, given.trim());
    return true;
  }

  takeTokenFromFragment();

  function setStatus(text, isError) {
    const status = byId('status');
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  /** Calls the admin API; resolves to {status, body}; signs out when the token is refused. */
  async function api(method, path) {
    const response = await fetch(path, {
      method: method,
      headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
    });
    let body = null;
    try {
      body = await response.json();
    } catch (ignored) {
      body = null;
    }
    if (response.status === 401 && gatewayCode(body) === 'admin_unauthorized') {
      signOut('The admin token was refused.');
      throw new Error('admin token refused');
    }
    return { status: response.status, body: body };
  }

  function gatewayCode(body) {
    return body && body.error && body.error.more_info ? body.error.more_info.gateway_code : undefined;
  }

  function failure(answer) {
    const error = answer.body && answer.body.error;
    return 'HTTP ' + answer.status + (error ? ' ' + (gatewayCode(answer.body) || '') + ': ' + error.message : '');
  }

  /** Every mall, page after page. */
  async function allMalls() {
    const malls = [];
    let cursor = null;
    do {
      const answer = await api('GET', '/admin/malls?limit=' + PAGE
        + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      if (answer.status !== 200) {
        throw new Error(failure(answer));
      }
      malls.push(...answer.body.malls);
      cursor = answer.body.next_cursor;
    } while (cursor);
    return malls;
  }

  function duration(seconds) {
    if (seconds === undefined || seconds === null) {
      return '–';
    }
    if (seconds <= 0) {
      return 'expired';
    }
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    if (days > 0) {
      return days + 'd ' + hours + 'h';
    }
    return hours > 0 ? hours + 'h ' + minutes + 'm' : minutes + 'm ' + (seconds % 60) + 's';
  }

  /** A cell with a main line and an optional small second line, both as text. */
  function cell(column, text, detail, className) {
    const td = document.createElement('td');
    td.dataset.col = column;
    const main = document.createElement('span');
    main.textContent = text;
    if (className) {
      main.className = className;
    }
    td.appendChild(main);
    if (detail) {
      const small = document.createElement('small');
      small.textContent = detail;
      td.appendChild(small);
    }
    return td;
  }

  function tokenCell(column, token, warnBelow) {
    if (!token) {
      return cell(column, 'no token', null, 'bad');
    }
    const left = token.seconds_left;
    const level = token.expired ? 'bad' : left < warnBelow ? 'warn' : 'ok';
    return cell(column, duration(left), 'until ' + token.expires_at, level);
  }

  function refreshCell(mall) {
    const last = mall.last_refresh;
    if (!last) {
      return cell('last_refresh', 'never', null);
    }
    return cell('last_refresh', last.outcome, last.at, last.outcome === 'refreshed' ? 'ok' : 'warn');
  }

  function reauthorizationCell(mall) {
    if (!mall.reauthorization_required) {
      return cell('reauthorization', mall.has_token ? 'no' : 'install needed', null, mall.has_token ? 'ok' : 'bad');
    }
    const mark = mall.reauthorization || {};
    return cell('reauthorization', 'required: ' + mark.reason, mark.detail, 'bad');
  }

  function circuitCell(circuit) {
    if (!circuit) {
      return cell('circuit', '–', null);
    }
    const opened = circuit.transitions ? circuit.transitions.open : 0;
    return cell('circuit', circuit.state, 'opened ' + opened + '×', circuit.state === 'closed' ? 'ok' : 'bad');
  }

  function rateCell(rate) {
    if (!rate || !rate.enabled) {
      return cell('rate', 'not shaped', null);
    }
    const paused = rate.paused_for_ms > 0 ? 'paused ' + Math.ceil(rate.paused_for_ms / 1000) + 's · ' : '';
    return cell('rate', rate.level.toFixed(1) + ' / ' + rate.capacity,
      paused + rate.queued_here + ' queued here · ' + rate.scope, rate.paused_for_ms > 0 ? 'warn' : null);
  }

  function actionsCell(mall) {
    const td = document.createElement('td');
    td.dataset.col = 'actions';
    td.className = 'actions';
    if (/^https?:\/\//i.test(mall.install_url || '')) {
      const link = document.createElement('a');
      link.href = mall.install_url;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      link.textContent = 'Install link';
      td.appendChild(link);
    }
    const apps = document.createElement('button');
    apps.type = 'button';
    apps.className = 'apps secondary';
    apps.textContent = 'Apps';
    apps.addEventListener('click', () => showApps(mall.mall_id));
    td.appendChild(apps);
    if (mall.has_token && !mall.reauthorization_required) { // a marked mall is never refreshed: reinstall
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'refresh';
      button.textContent = 'Force refresh';
      button.addEventListener('click', () => forceRefresh(mall.mall_id, button));
      td.appendChild(button);
    }
    return td;
  }

  function row(mall) {
    const tr = document.createElement('tr');
    tr.dataset.mall = mall.mall_id;
    if (mall.reauthorization_required) {
      tr.className = 'needs-reauth';
    }
    if (mall.mall_id === appsMall) {
      tr.classList.add('selected');
    }
    tr.append(
      cell('mall', mall.mall_id, null),
      tokenCell('access_token', mall.access_token, 600),
      tokenCell('refresh_token', mall.refresh_token, 3 * 86400),
      refreshCell(mall),
      reauthorizationCell(mall),
      circuitCell(mall.circuit),
      rateCell(mall.rate),
      cell('version', mall.version === undefined ? '–' : String(mall.version), null),
      actionsCell(mall));
    return tr;
  }

  function numberCell(column, value) {
    const td = cell(column, String(value), null);
    td.className = 'num';
    return td;
  }

  function appRow(app) {
    const tr = document.createElement('tr');
    tr.dataset.app = app.app;
    tr.append(
      cell('app', app.app, null),
      numberCell('calls', app.calls),
      numberCell('cafe24_calls', app.cafe24_calls),
      numberCell('cafe24_throttled', app.cafe24_throttled));
    if (app.cafe24_throttled > 0) {
      tr.cells[3].firstChild.className = 'warn';
    }
    return tr;
  }

  /** Which apps called the mall over the last hour, under the table. */
  async function showApps(mall) {
    appsMall = mall;
    document.querySelectorAll('#malls tbody tr').forEach(
      (tr) => tr.classList.toggle('selected', tr.dataset.mall === mall));
    byId('apps-view').hidden = false;
    byId('apps-title').textContent = 'Apps calling ' + mall + ' in the last hour';
    try {
      const answer = await api('GET', '/admin/malls/' + encodeURIComponent(mall) + '/apps');
      if (answer.status !== 200) {
        throw new Error(failure(answer));
      }
      if (appsMall !== mall) {
        return; // another mall was picked meanwhile
      }
      const view = answer.body;
      const body = byId('apps').tBodies[0];
      if (view.apps.length === 0) {
        const empty = cell('app', 'No calls in the last hour.', null);
        empty.colSpan = 4;
        const tr = document.createElement('tr');
        tr.appendChild(empty);
        body.replaceChildren(tr);
      } else {
        body.replaceChildren(...view.apps.map(appRow));
      }
      byId('apps-window').textContent = 'From ' + view.window.from + ' to ' + view.window.to + ' · '
        + (view.scope === 'cluster' ? 'every instance (cluster)' : 'this instance only') + ' · at most '
        + view.max_apps + ' apps by name';
    } catch (error) {
      if (token()) {
        setStatus('Could not load the apps of ' + mall + ': ' + error.message, true);
      }
    }
  }

  async function load() {
    setStatus('Loading…', false);
    try {
      const malls = await allMalls();
      byId('malls').tBodies[0].replaceChildren(...malls.map(row));
      const marked = malls.filter((mall) => mall.reauthorization_required).length;
      setStatus(malls.length + ' mall(s), ' + marked + ' needing reauthorization · loaded '
        + new Date().toLocaleTimeString(), false);
      if (appsMall) {
        showApps(appsMall);
      }
    } catch (error) {
      if (token()) {
        setStatus('Could not load the malls: ' + error.message, true);
      }
    }
  }

  async function forceRefresh(mall, button) {
    button.disabled = true;
    setStatus('Refreshing ' + mall + '…', false);
    try {
      const answer = await api('POST', '/admin/malls/' + encodeURIComponent(mall) + '/refresh');
      await load();
      if (answer.status !== 200) {
        setStatus('Refresh of ' + mall + ' failed: ' + failure(answer), true);
      } else {
        setStatus('Refreshed ' + mall + '. ' + byId('status').textContent, false);
      }
    } catch (error) {
      if (token()) {
        setStatus('Refresh of ' + mall + ' failed: ' + error.message, true);
      }
      button.disabled = false;
    }
  }

  function show(signedIn) {
    byId('login').hidden = signedIn;
    byId('app').hidden = !signedIn;
    byId('session').hidden = !signedIn;
  }

  function signOut(reason) {
    sessionStorage.removeItem(KEY);
    byId('malls').tBodies[0].replaceChildren();
    appsMall = null;
    byId('apps').tBodies[0].replaceChildren();
    byId('apps-view').hidden = true;
    show(false);
    setStatus(reason || '', Boolean(reason));
    if (reason) {
      byId('login').querySelector('.hint').textContent = reason;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    byId('login').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId('token');
      sessionStorage.setItem(KEY, input.value.trim());
      input.value = '';
      show(true);
      load();
    });
    byId('reload').addEventListener('click', load);
    byId('sign-out').addEventListener('click', () => signOut(''));
    // A link with a token opened in a tab that already shows the page changes only the fragment: no reload.
    window.addEventListener('hashchange', () => {
      if (takeTokenFromFragment()) {
        show(true);
        load();
      }
    });
    if (token()) {
      show(true);
      load();
    }
  });
})();
