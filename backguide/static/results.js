// The explorer's results table (anywidget): every row can be clicked, or reached with
// Tab and the arrow keys and opened with Enter or Space, to show that exercise's card.
// The scrolling box itself takes focus, so a keyboard can scroll it too.
// The kernel sends one page of rows ('page_rows', from row 'start' of 'total'); when
// there is more than one page, "Previous" and "Next" buttons beneath ask for another.

function render({ model, el }) {
  el.classList.add('bg-results-table');
  const box = document.createElement('div');
  box.className = 'bg-table bg-results-scroll';
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  el.appendChild(box);

  const pager = document.createElement('div');
  pager.className = 'bg-pager';
  pager.setAttribute('role', 'group');
  const prev = document.createElement('button');
  const next = document.createElement('button');
  const status = document.createElement('span');
  status.className = 'bg-pager-status';
  status.setAttribute('aria-live', 'polite');
  prev.className = 'bg-page-previous';
  next.className = 'bg-page-next';
  for (const b of [prev, next]) b.type = 'button';
  pager.append(prev, status, next);
  el.appendChild(pager);

  function choose(id) {
    model.set('selected', id);
    model.save_changes();
  }

  // aria-disabled, not disabled: a button at the end keeps the focus, and says why it does nothing.
  function page(step) {
    const size = model.get('page_size') || 50;
    const start = model.get('start') + step * size;
    if (start < 0 || start >= (model.get('total') || 0)) return;
    model.set('start', start);
    model.save_changes();
  }
  prev.addEventListener('click', () => page(-1));
  next.addEventListener('click', () => page(1));

  function drawPager() {
    const total = model.get('total') || 0;
    const size = model.get('page_size') || 50;
    const start = model.get('start') || 0;
    const shown = (model.get('page_rows') || []).length;
    const label = model.get('label') || 'Exercises';
    pager.style.cssText = total <= size ? 'display: none' :
      'display: flex; gap: 0.75em; align-items: center; margin-top: 0.4em';
    pager.setAttribute('aria-label', 'Pages of ' + label.toLowerCase());
    const atStart = start <= 0;
    const atEnd = start + shown >= total;
    prev.textContent = atStart ? 'Previous' : `Previous ${size}`;
    next.textContent = atEnd ? 'Next' : `Next ${Math.min(size, total - start - shown)}`;
    for (const [b, off] of [[prev, atStart], [next, atEnd]]) {
      b.setAttribute('aria-disabled', off ? 'true' : 'false');
      b.style.cssText = off ? 'color: #595959; border-style: dashed; cursor: not-allowed' : '';
    }
    status.textContent = total ? `Rows ${start + 1} to ${start + shown} of ${total}` : '';
  }

  let drawnStart = null;
  function draw() {
    const columns = model.get('columns') || [];
    const rows = model.get('page_rows') || [];
    const selected = model.get('selected');
    box.setAttribute('aria-label', model.get('label') || 'Exercises');
    const table = document.createElement('table');
    const caption = document.createElement('caption');
    caption.className = 'bg-visually-hidden';
    caption.textContent = (model.get('label') || 'Exercises') + ': ' +
      (model.get('hint') || 'choose a row to see its card');
    table.appendChild(caption);
    const head = table.createTHead().insertRow();
    for (const c of columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = c;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      tr.dataset.id = r.id;
      tr.tabIndex = r.id === selected ? 0 : -1;
      tr.className = 'bg-result-row' + (r.id === selected ? ' bg-result-chosen' : '')
        + (r.css ? ' ' + r.css : '');
      tr.setAttribute('aria-selected', r.id === selected ? 'true' : 'false');
      const header = model.get('header_column') || 0;
      r.cells.forEach((cell, i) => {
        const td = document.createElement(i === header ? 'th' : 'td');
        if (i === header) td.scope = 'row';
        td.textContent = cell;
        tr.appendChild(td);
      });
      tr.addEventListener('click', () => choose(r.id));
      tr.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          choose(r.id);
        } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
          ev.preventDefault();
          const next = ev.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
          if (next) { tr.tabIndex = -1; next.tabIndex = 0; next.focus(); }
        }
      });
    }
    if (!body.querySelector('tr[tabindex="0"]') && body.rows.length) body.rows[0].tabIndex = 0;
    const focused = box.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    box.replaceChildren(table);
    if (model.get('start') !== drawnStart) box.scrollTop = 0;  // a new page from its top
    drawnStart = model.get('start');
    if (focused) {
      const again = body.querySelector(`tr[data-id="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
    drawPager();
  }
  model.on('change:page_rows', draw);
  model.on('change:selected', draw);
  model.on('change:total', drawPager);
  model.on('change:start', drawPager);
  draw();
}

export default { render };
