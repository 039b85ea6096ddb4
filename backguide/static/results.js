// The explorer's results table (anywidget): every row can be clicked, or reached with
// Tab and the arrow keys and opened with Enter or Space, to show that exercise's card.
// The scrolling box itself takes focus, so a keyboard can scroll it too.

function render({ model, el }) {
  el.classList.add('bg-results-table');
  const box = document.createElement('div');
  box.className = 'bg-table bg-results-scroll';
  box.tabIndex = 0;
  box.setAttribute('role', 'region');
  el.appendChild(box);

  function choose(id) {
    model.set('selected', id);
    model.save_changes();
  }

  function draw() {
    const columns = model.get('columns') || [];
    const rows = model.get('rows') || [];
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
      tr.className = 'bg-result-row' + (r.id === selected ? ' bg-result-chosen' : '');
      tr.setAttribute('aria-selected', r.id === selected ? 'true' : 'false');
      r.cells.forEach((cell, i) => {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row';
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
    if (focused) {
      const again = body.querySelector(`tr[data-id="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }
  model.on('change:rows', draw);
  model.on('change:selected', draw);
  draw();
}

export default { render };
