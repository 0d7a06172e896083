'use strict';
// fetchstats web page: a jobs list (#/) and a job page (#/jobs/{id}), kept fresh by polling the
// JSON API of the same server. No framework: small helpers build the DOM.

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const TOKEN_KEY = 'fetchstats.apiToken';
const URLS_PAGE = 20;
const FAILURES_PAGE = 20;

// ---------- DOM helpers ----------

/** An HTML element with attributes (null/undefined/false ones skipped) and children. */
function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG, which needs its namespace. */
function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) el.setAttribute(name, value);
  }
  el.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** Replaces a table body's rows, keeping keyboard focus on the same link across a refresh. */
function replaceRows(tbody, rows) {
  const focused = tbody.contains(document.activeElement)
    ? document.activeElement.getAttribute('href')
    : null;
  tbody.replaceChildren(...rows);
  if (focused) tbody.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
}

const emptyRow = (columns, text) =>
  h('tr', { class: 'empty' }, h('td', { colspan: columns }, text));

const jobLink = (id) => h('a', { href: `#/jobs/${enc(id)}` }, id);

const badge = (text, kind, title) => h('span', { class: `badge ${kind}`, title }, text);

/** A URL as a link when it is http(s) (never a javascript: one), else as text. */
const urlText = (url) =>
  /^https?:\/\//i.test(url) ? h('a', { href: url, rel: 'noopener noreferrer' }, url) : url;

// ---------- Formatting ----------

const countFormat = new Intl.NumberFormat();
const numberFormat = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });

const formatCount = (n) => (n === null || n === undefined ? '–' : countFormat.format(n));

/** "1 URL", "24 URLs". */
const plural = (n, noun) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/** Up to 6 significant digits; exponent notation where plain digits would be unreadable. */
function formatNumber(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v); // the API writes an overflowing sum as "Infinity"
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-4)) {
    return v.toExponential(5).replace(/\.?0+e/, 'e').replace('e+', 'e'); // 1.5e13, 2.5e-7
  }
  return numberFormat.format(v);
}

function formatBytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

const formatPercent = (fraction) => `${+(fraction * 100).toPrecision(3)}%`;

function formatDuration(seconds) {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}

function timeAgo(iso) {
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** Local time; today's times without the date, which the list would repeat on every row. */
function localTime(iso) {
  const date = new Date(iso);
  const today = date.toDateString() === new Date().toDateString();
  return today
    ? date.toLocaleTimeString()
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A <time> showing `text(iso)`, with the full local date and time on hover. */
const timeEl = (iso, text) =>
  iso ? h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, text(iso)) : '–';

/** The API's state, or the same told from the flags should a summary lack it. */
const jobState = (job) =>
  job.state ?? (job.cancelled ? 'cancelled' : job.complete ? 'complete' : 'running');

function setStateBadge(el, state) {
  el.textContent = state;
  el.className = `badge state ${state}`;
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A JSON request; a failure becomes an ApiError with the server's own `error` text. */
async function api(method, path, { body, type } = {}) {
  const headers = {};
  if (type) headers['Content-Type'] = type;
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && method !== 'GET') headers.Authorization = `Bearer ${token}`; // only writes need it
  let response;
  try {
    response = await fetch(path, { method, headers, body, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, `Cannot reach the server: ${e.message}`);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data?.error ?? `${response.status} ${response.statusText}`);
  }
  return data;
}

// ---------- Messages ----------

// One alert region. A poll's error is cleared by its next success, without clearing the error
// of an action the user took (a refused submission must stay readable).
let messageOwner = null;

function showError(text, owner = 'action') {
  // Writing the same text again would make screen readers announce it every poll.
  if ($('message').textContent !== text) $('message').textContent = text;
  messageOwner = owner;
}

function clearError(owner) {
  if (owner === undefined || owner === messageOwner) {
    $('message').textContent = '';
    messageOwner = null;
  }
}

// Text for the status region of the next page shown (e.g. "Submitted 24 URLs").
let notice = null;

// ---------- Token and actions ----------

let pendingAction = null; // the action refused with 401, run again once a token is saved

/** Runs a writing request from `button`; on 401 asks for the token, then runs it again. */
async function act(button, action) {
  clearError();
  pendingAction = null;
  button.disabled = true;
  try {
    await action();
  } catch (e) {
    if (e.status === 401) {
      pendingAction = () => act(button, action);
      $('token-reason').textContent = e.message;
      $('token-details').open = true;
      $('api-token').focus();
      // Short: the Token panel, open beside it, gives the server's whole reason.
      showError('This server needs a token for that. Enter the API token and press Save: it runs again.');
    } else {
      showError(e.message);
    }
  } finally {
    button.disabled = false;
  }
}

function saveToken() {
  const token = $('api-token').value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

$('api-token').value = sessionStorage.getItem(TOKEN_KEY) ?? '';
// Saved as typed, so clicking the refused button again also works.
$('api-token').addEventListener('input', saveToken);
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  saveToken();
  $('token-reason').textContent = '';
  $('token-details').open = false;
  pendingAction?.();
});

// ---------- Polling and routing ----------

/**
 * Runs `load` now and again `ms` after each run ends, only while the tab is visible (a hidden tab
 * needs no fresh numbers), until stopped or `load` returns false. `now()` reloads at once.
 */
function poll(load, ms) {
  let timer = 0;
  let busy = false;
  let rerun = false;
  let stopped = false;
  const tick = async () => {
    clearTimeout(timer);
    if (stopped || document.visibilityState !== 'visible') return;
    if (busy) {
      rerun = true; // asked for while a load is out: run again as soon as it is back
      return;
    }
    busy = true;
    const again = await load();
    busy = false;
    if (again === false) stop();
    else if (!stopped) timer = setTimeout(tick, rerun ? 0 : ms);
    rerun = false;
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', tick);
  };
  document.addEventListener('visibilitychange', tick);
  tick();
  return { stop, now: tick };
}

let view = null; // the poller of the page shown

function route(moveFocus) {
  view?.stop();
  clearError();
  $('status').textContent = notice ?? '';
  notice = null;
  const match = location.hash.match(/^#\/jobs\/([^/]+)$/);
  view = match ? showJob(decodeId(match[1])) : showJobs();
  // After a click, take keyboard and screen reader users to the new page's heading.
  if (moveFocus) $(match ? 'job-title' : 'submit-heading').focus();
}

function decodeId(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const go = (jobId) => {
  location.hash = `#/jobs/${enc(jobId)}`;
};

// ---------- Jobs list ----------

// `cursors` holds the `after` of each page from the newest one; the last is the page shown.
const list = { state: '', cursors: [null], next: null };

function showJobs() {
  job.id = null;
  $('jobs-view').hidden = false;
  $('job-view').hidden = true;
  document.title = 'fetchstats';
  return poll(loadJobs, 2000);
}

function jobsUrl() {
  const query = new URLSearchParams({ limit: 50 });
  if (list.state) query.set('state', list.state);
  if (list.cursors.at(-1)) query.set('after', list.cursors.at(-1));
  return `/jobs?${query}`;
}

async function loadJobs() {
  const url = jobsUrl();
  let data;
  try {
    data = await api('GET', url);
  } catch (e) {
    if (!$('jobs-view').hidden) showError(e.message, 'poll');
    return;
  }
  // An answer for another page, filter or view is no longer wanted.
  if ($('jobs-view').hidden || url !== jobsUrl()) return;
  clearError('poll');
  list.next = data.next;
  const rows = data.jobs.map(jobRow);
  const none = list.state ? `No ${list.state} jobs.` : 'No jobs yet: submit a URL list above.';
  replaceRows($('jobs-table').tBodies[0], rows.length ? rows : [emptyRow(8, none)]);
  $('jobs-older').disabled = !data.next;
  $('jobs-newer').disabled = list.cursors.length === 1;
}

function jobRow(summary) {
  const state = jobState(summary);
  const expected = summary.urlsExpected;
  const done = `${formatCount(summary.urlsCompleted)}/${expected === null ? '?' : formatCount(expected)}`;
  return h(
    'tr',
    { 'data-job-id': summary.jobId },
    h('th', { scope: 'row' }, jobLink(summary.jobId)),
    h('td', {}, badge(state, `state ${state}`)),
    h(
      'td',
      { class: 'done' },
      progressBar(h('progress', { 'aria-label': `${done} URLs done` }), summary),
      h('span', {}, done),
    ),
    h('td', { class: summary.urlsFailed ? 'num bad-text' : 'num' }, formatCount(summary.urlsFailed)),
    h('td', { class: 'num', title: `${summary.bytes} bytes` }, formatBytes(summary.bytes)),
    h('td', {}, timeEl(summary.submittedAt, localTime)),
    h('td', {}, timeEl(summary.updatedAt, timeAgo)),
    h('td', {}, summary.retryOf ? jobLink(summary.retryOf) : ''),
  );
}

/** Sets a <progress> to completed/expected; indeterminate while the total is not known. */
function progressBar(progress, counts) {
  if (counts.urlsExpected === null || counts.urlsExpected === undefined) {
    progress.removeAttribute('value');
  } else {
    progress.max = Math.max(1, counts.urlsExpected);
    progress.value = counts.urlsExpected === 0 ? 1 : counts.urlsCompleted;
  }
  return progress;
}

$('state-filter').addEventListener('change', () => {
  list.state = $('state-filter').value;
  list.cursors = [null];
  view.now();
});
$('jobs-older').addEventListener('click', () => {
  list.cursors.push(list.next);
  view.now();
});
$('jobs-newer').addEventListener('click', () => {
  list.cursors.pop();
  view.now();
});

$('submit-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act($('submit-button'), submitJob);
});

async function submitJob() {
  const file = $('submit-file').files[0];
  const body = file ? await file.text() : $('submit-urls').value;
  if (!body.trim()) throw new Error('Paste some URLs, or choose a file, first.');
  const type = file?.name.toLowerCase().endsWith('.json')
    ? 'application/json'
    : 'text/plain; charset=utf-8';
  const query = new URLSearchParams();
  if ($('submit-format').value) query.set('format', $('submit-format').value);
  if ($('submit-job-id').value.trim()) query.set('jobId', $('submit-job-id').value.trim());
  const made = await api('POST', `/jobs${query.toString() ? `?${query}` : ''}`, { body, type });
  $('submit-form').reset();
  notice =
    `Submitted ${plural(made.urls, 'URL')} as ${made.jobId}` +
    (made.duplicatesIgnored ? `; ${plural(made.duplicatesIgnored, 'duplicate')} ignored` : '') +
    (made.invalidSkipped ? `; ${plural(made.invalidSkipped, 'invalid line')} skipped` : '') +
    '.';
  go(made.jobId);
}

// ---------- Job page ----------

// The job shown: its latest result, and the paging of its failures and URL results.
const job = freshJob(null);

/** What is known of job `id` before its first result. */
function freshJob(id) {
  return {
    id,
    result: null,
    fieldsShown: '',
    failuresShown: '',
    failuresPage: 0,
    urlCursors: [null],
    urlsNext: null,
    search: '',
  };
}

function showJob(id) {
  Object.assign(job, freshJob(id));
  $('jobs-view').hidden = true;
  $('job-view').hidden = false;
  $('job-body').hidden = true; // until the job is known
  document.title = `${id} · fetchstats`;
  $('job-title').textContent = id;
  $('job-state').textContent = '';
  $('job-state').className = 'badge';
  $('job-retry-of').hidden = true;
  $('cancel-button').hidden = true;
  $('retry-button').hidden = true;
  $('url-search').value = '';
  return poll(loadJob, 1000);
}

async function loadJob() {
  const id = job.id;
  let result;
  try {
    result = await api('GET', `/jobs/${enc(id)}`);
  } catch (e) {
    if (id !== job.id) return false;
    // A just-submitted job is unknown until the pipeline has seen it: keep asking.
    showError(
      e.status === 404
        ? `Job ${id} is unknown, or submitted but not processed yet. Checking again every second…`
        : e.message,
      'poll',
    );
    return true;
  }
  if (id !== job.id) return false;
  clearError('poll');
  // A cancelled job is final only once its last URLs have ended CANCELLED: it is complete then.
  const wasRunning = job.result !== null && !job.result.complete;
  const first = job.result === null;
  job.result = result;
  renderJob(result);
  const finished = result.complete;
  // The URL table is not reloaded on every poll (that would lose the user's page): only at first
  // and when the job's results are final.
  if (first || (wasRunning && finished)) loadUrls();
  if (wasRunning && finished) $('status').textContent = ''; // "Cancelling…" and the like are over
  return !finished;
}

function renderJob(result) {
  const state = jobState(result);
  $('job-body').hidden = false;
  setStateBadge($('job-state'), state);
  $('job-retry-of').hidden = !result.retryOf;
  if (result.retryOf) $('job-retry-of').replaceChildren('retry of ', jobLink(result.retryOf));
  $('cancel-button').hidden = state !== 'running';
  $('retry-button').hidden = !(result.complete && result.urlsFailed > 0);

  progressBar($('job-progress'), result);
  const counts =
    result.urlsExpected === null
      ? `${formatCount(result.urlsCompleted)} URLs done (the total is not known yet)`
      : `${formatCount(result.urlsCompleted)} of ${formatCount(result.urlsExpected)} URLs`;
  if ($('job-counts').textContent !== counts) $('job-counts').textContent = counts;
  $('job-stats').replaceChildren(...jobStats(result, state));

  // Redrawn only when changed, so that a hover tooltip is not lost every second.
  const fields = JSON.stringify([result.fields, result.fieldsOmittedFrom]);
  if (fields !== job.fieldsShown) {
    job.fieldsShown = fields;
    renderFields(result);
  }
  const failures = JSON.stringify([result.failures, result.urlsFailed]);
  if (failures !== job.failuresShown) {
    job.failuresShown = failures;
    renderFailures();
  }
}

/** The job's figures as <dt>/<dd> pairs. */
function jobStats(result, state) {
  const stats = [];
  const add = (term, ...value) => stats.push(h('div', {}, h('dt', {}, term), h('dd', {}, ...value)));
  add('Succeeded', formatCount(result.urlsSucceeded));
  add('Failed', h('span', { class: result.urlsFailed ? 'bad-text' : null }, formatCount(result.urlsFailed)));
  if (result.urlsCancelled) add('Cancelled', formatCount(result.urlsCancelled));
  if (result.urlsDuplicate) add('Duplicates', formatCount(result.urlsDuplicate));
  add('Bytes', h('span', { title: `${result.bytes} bytes` }, formatBytes(result.bytes)));
  add('Rows', formatCount(result.rows));
  if (result.raggedRows) add('Bad rows', formatCount(result.raggedRows));

  // Rates over the job's life so far, so that a figure shows at the first poll.
  const seconds = (Date.parse(result.updatedAt) - Date.parse(result.submittedAt)) / 1000;
  if (seconds > 0) {
    const urlRate = result.urlsCompleted / seconds;
    add('Rate', `${formatNumber(+urlRate.toPrecision(3))} URLs/s`);
    add('Throughput', `${formatBytes(result.bytes / seconds)}/s`);
    if (state === 'running' && urlRate > 0 && result.urlsExpected !== null) {
      const left = Math.max(0, result.urlsExpected - result.urlsCompleted) / urlRate;
      add('ETA', `about ${formatDuration(left)} left`);
    }
  }
  add('Started', timeEl(result.submittedAt, localTime));
  // "3 s ago" while it changes; a finished job's page is no longer refreshed, so a time then.
  add('Updated', timeEl(result.updatedAt, state === 'running' ? timeAgo : localTime));
  if (result.cancelledAt) add('Cancelled at', timeEl(result.cancelledAt, localTime));
  return stats;
}

// ---------- Fields and histograms ----------

const STAT_COLUMNS = ['mean', 'stddevSample', 'min', 'p25', 'p50', 'p75', 'p95', 'p99', 'max'];
const PERCENTILES = new Set(['p25', 'p50', 'p75', 'p95', 'p99']);

function renderFields(result) {
  const fields = result.fields ?? [];
  const rows = fields.map(fieldRow);
  replaceRows($('fields-table').tBodies[0], rows.length ? rows : [emptyRow(13, 'No fields yet.')]);

  const approximate = fields.find((f) => f.percentilesExact === false);
  const notes = ['Std is the sample standard deviation.'];
  notes.push(
    approximate
      ? `≈ marks percentiles read from a sketch (fields with many distinct values), within ${formatPercent(approximate.percentileRelativeAccuracy)} of the true value; the others are exact.`
      : 'Percentiles are exact.',
  );
  if (result.fieldsOmittedFrom) {
    notes.push(`Fields from “${result.fieldsOmittedFrom}” on (in name order) are left out: too many to keep.`);
  }
  $('fields-note').textContent = notes.join(' ');

  $('histograms').replaceChildren(...fields.map(histogram));
  if (!fields.length) $('histograms').append(h('p', { class: 'muted' }, 'No fields yet.'));
}

function fieldRow(field) {
  const approximate = field.percentilesExact === false;
  return h(
    'tr',
    { 'data-field-name': field.name },
    h('th', { scope: 'row' }, field.name),
    numberCell('count', field.count, formatCount),
    ...STAT_COLUMNS.map((key) => {
      const cell = numberCell(key, field[key], formatNumber);
      if (approximate && PERCENTILES.has(key) && field[key] !== null) {
        const accuracy = field.percentileRelativeAccuracy;
        const title = `approximate: within ${accuracy === null ? 'the sketch’s accuracy' : formatPercent(accuracy)}`;
        cell.prepend(h('abbr', { class: 'approx', title }, '≈'));
      }
      return cell;
    }),
    numberCell('missing', field.missing, formatCount),
    numberCell('nonNumeric', field.nonNumeric, formatCount),
  );
}

/** A cell showing `value` readably, with the exact value from the JSON for hover and tests. */
function numberCell(key, value, format) {
  const exact = value === null || value === undefined ? null : String(value);
  return h('td', { class: 'num', 'data-field': key, 'data-value': exact, title: exact }, format(value));
}

/** A field's histogram as an inline SVG bar chart, scaled to its container by the viewBox. */
function histogram(field) {
  const figure = h(
    'figure',
    { class: 'histogram' },
    h('figcaption', {}, h('span', { class: 'name' }, field.name), h('span', { class: 'muted' }, `n = ${formatCount(field.count)}`)),
  );
  const hist = field.histogram;
  if (!hist || !hist.counts.length) {
    figure.append(h('p', { class: 'muted no-values' }, 'no finite values'));
    return figure;
  }
  const width = 360;
  const plotTop = 6;
  const baseline = 122;
  const height = 142;
  const bins = hist.counts.length;
  const peak = Math.max(1, ...hist.counts);
  const step = (hist.max - hist.min) / bins;
  const barWidth = width / bins;
  const gap = barWidth > 4 ? 1 : 0;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': `Histogram of ${field.name}: ${plural(bins, 'bin')} from ${formatNumber(hist.min)} to ${formatNumber(hist.max)}`,
    'data-field-name': field.name,
  });
  hist.counts.forEach((count, i) => {
    const barHeight = ((baseline - plotTop) * count) / peak;
    const low = hist.min + i * step;
    const high = i === bins - 1 ? hist.max : hist.min + (i + 1) * step;
    // The last bin includes the maximum; the others stop short of their upper edge.
    const to = i === bins - 1 ? 'to' : 'to under';
    svg.append(
      s(
        'rect',
        { class: 'bar', x: i * barWidth + gap / 2, y: baseline - barHeight, width: barWidth - gap, height: barHeight },
        s('title', {}, `${formatNumber(low)} ${to} ${formatNumber(high)}: ${plural(count, 'value')}`),
      ),
    );
  });
  svg.append(
    s('line', { class: 'axis', x1: 0, x2: width, y1: baseline + 0.5, y2: baseline + 0.5 }),
    s('text', { class: 'label', x: 0, y: height - 4 }, formatNumber(hist.min)),
    s('text', { class: 'label', x: width, y: height - 4, 'text-anchor': 'end' }, formatNumber(hist.max)),
  );
  figure.append(svg);
  return figure;
}

// ---------- Failures ----------

function renderFailures() {
  const result = job.result;
  const failures = result.failures ?? [];
  const pages = Math.max(1, Math.ceil(failures.length / FAILURES_PAGE));
  job.failuresPage = Math.min(job.failuresPage, pages - 1);
  const start = job.failuresPage * FAILURES_PAGE;
  const rows = failures.slice(start, start + FAILURES_PAGE).map((failure) =>
    h(
      'tr',
      {},
      h('td', { class: 'url' }, urlText(failure.url)),
      h('td', {}, badge(failure.errorClass, 'error')),
      h('td', { class: 'error-text' }, failure.error),
    ),
  );
  const none = result.urlsFailed
    ? 'The result lists none of them: the URL results below have every URL.'
    : 'No failures.';
  replaceRows($('failures-table').tBodies[0], rows.length ? rows : [emptyRow(3, none)]);

  // The result keeps at most a configured number of failures; urlsFailed counts them all.
  $('failures-note').textContent =
    failures.length && failures.length < result.urlsFailed
      ? `Showing the first ${formatCount(failures.length)} of ${formatCount(result.urlsFailed)} failures.`
      : '';
  $('failures-pager').hidden = pages === 1;
  $('failures-page').textContent = `Page ${job.failuresPage + 1} of ${pages}`;
  $('failures-previous').disabled = job.failuresPage === 0;
  $('failures-next').disabled = job.failuresPage === pages - 1;
}

$('failures-previous').addEventListener('click', () => {
  job.failuresPage--;
  renderFailures();
});
$('failures-next').addEventListener('click', () => {
  job.failuresPage++;
  renderFailures();
});

// ---------- URL results ----------

function urlsUrl() {
  const query = new URLSearchParams({ limit: URLS_PAGE });
  if (job.urlCursors.at(-1)) query.set('after', job.urlCursors.at(-1));
  if (job.search) query.set('search', job.search);
  return `/jobs/${enc(job.id)}/urls?${query}`;
}

async function loadUrls() {
  const url = urlsUrl();
  let data;
  try {
    data = await api('GET', url);
  } catch (e) {
    if (url === urlsUrl()) showError(e.message);
    return;
  }
  if (job.id === null || url !== urlsUrl()) return; // the user has paged, searched or left since
  job.urlsNext = data.next;
  const rows = data.urls.map(urlRow);
  const none = job.search ? `No URL contains “${job.search}”.` : 'No URL results yet.';
  replaceRows($('urls-table').tBodies[0], rows.length ? rows : [emptyRow(7, none)]);
  $('urls-next').disabled = !data.next;
  $('urls-first').disabled = job.urlCursors.length === 1;
}

function urlRow(u) {
  const outcome =
    u.complete === false ? badge('pending', 'pending') : u.ok ? badge('ok', 'ok') : badge('failed', 'error');
  return h(
    'tr',
    { 'data-url': u.url },
    h('td', { class: 'url' }, urlText(u.url)),
    h('td', {}, outcome),
    h('td', { class: 'num' }, u.status ?? '–'),
    h('td', { class: 'num', title: u.bytes === null ? null : `${u.bytes} bytes` }, formatBytes(u.bytes)),
    h('td', { class: 'num' }, formatCount(u.rows)),
    h('td', { class: 'num' }, u.latencyMs === null || u.latencyMs === undefined ? '–' : `${formatCount(u.latencyMs)} ms`),
    h('td', {}, u.errorClass ? badge(u.errorClass, 'error', u.error) : ''),
  );
}

$('urls-next').addEventListener('click', () => {
  job.urlCursors.push(job.urlsNext);
  loadUrls();
});
$('urls-first').addEventListener('click', () => {
  job.urlCursors = [null];
  loadUrls();
});

let searchTimer = 0;
$('url-search').addEventListener('input', () => {
  // Wait for a pause in typing rather than asking the server for every keystroke.
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    job.search = $('url-search').value.trim();
    job.urlCursors = [null];
    loadUrls();
  }, 300);
});

// ---------- Job actions ----------

$('cancel-button').addEventListener('click', () =>
  act($('cancel-button'), async () => {
    const id = job.id;
    await api('DELETE', `/jobs/${enc(id)}`);
    $('status').textContent = `Cancelling ${id}…`;
    view.now();
  }),
);

$('retry-button').addEventListener('click', () =>
  act($('retry-button'), async () => {
    const id = job.id;
    const made = await api('POST', `/jobs/${enc(id)}/retry`);
    notice = `Retrying ${plural(made.urls, 'failed URL')} of ${id} as ${made.jobId}.`;
    go(made.jobId);
  }),
);

window.addEventListener('hashchange', () => route(true));
route(false);
