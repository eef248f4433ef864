// The virtual conversation list: a fixed row height, a spacer as tall as the
// rows held, and only the rows in view (plus a few) in the DOM, recycled as
// the list scrolls. It pulls the next page when the view nears the end of
// what the model holds, and keeps the rows in view steady when conversations
// are inserted above them. A WAI-ARIA listbox: arrow keys, Page Up/Down,
// Home/End move the active row; Enter or Space opens it.
import { displayName, initials, colorSlot, shortTime, preview, num, el, icon, TYPE_LABEL } from './format.js';

const OVERSCAN = 6;

export class ListView {
  constructor({ viewport, spacer, footer, model, me, rowHeight = 72, onOpen = () => {}, onMenu = () => {}, onRender = () => {} }) {
    this.viewport = viewport;
    this.spacer = spacer;
    this.footer = footer;
    this.model = model;
    this.me = me;
    this.rowHeight = rowHeight;
    this.onOpen = onOpen;
    this.onMenu = onMenu; // (conversation, {x, y}): the row's actions, without opening it
    this.onRender = onRender;
    this.pool = [];
    this.selectedId = null;
    this.activeId = null;
    this.activeIndex = 0;
    this.anchor = null; // [{id, index}] of the first rows in view at the last render
    this.frame = 0;
    this.renders = 0;

    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    viewport.addEventListener('keydown', (e) => {
      viewport.classList.add('keyboard'); // show the active row's ring from now on
      this.#onKey(e);
    });
    viewport.addEventListener('pointerdown', () => viewport.classList.remove('keyboard'));
    viewport.addEventListener('click', (e) => {
      const row = e.target.closest('.row[data-index]');
      if (!row || row.classList.contains('loader')) return;
      const c = this.model.items[Number(row.dataset.index)];
      if (!c) return;
      this.setActive(Number(row.dataset.index));
      this.onOpen(c);
    });
    viewport.addEventListener('contextmenu', (e) => {
      const row = e.target.closest('.row[data-index]');
      const c = row && !row.classList.contains('loader') && this.model.items[Number(row.dataset.index)];
      if (!c) return;
      e.preventDefault();
      this.setActive(Number(row.dataset.index), { scroll: false });
      this.onMenu(c, { x: e.clientX, y: e.clientY });
    });
    // Focus gives the list an active row without scrolling: a mouse focus is
    // followed by its click, which must land where the pointer went down.
    viewport.addEventListener('focus', () => {
      const n = this.model.items.length;
      if (!this.activeId && n) {
        const firstInView = Math.ceil(viewport.scrollTop / this.rowHeight);
        this.setActive(Math.min(firstInView, n - 1), { scroll: false });
      }
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  /** Renders on the next animation frame (any number of calls, one render). */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Forget the scroll position (a new filter). */
  resetScroll() {
    this.viewport.scrollTop = 0;
    this.anchor = null;
    this.activeId = null;
    this.activeIndex = 0;
  }

  get visibleRows() {
    return Math.max(1, Math.floor(this.viewport.clientHeight / this.rowHeight));
  }

  render() {
    this.renders++;
    const { model, rowHeight: RH, viewport } = this;
    const items = model.items;
    const count = this.#sizeSpacer();
    // Keep the rows in view where they are when conversations arrive above them.
    if (this.anchor && viewport.scrollTop > 0) {
      const shift = this.#shift();
      if (shift) viewport.scrollTop += shift * RH;
    }

    const top = viewport.scrollTop;
    const height = viewport.clientHeight || RH * 10;
    const first = Math.max(0, Math.floor(top / RH) - OVERSCAN);
    const last = Math.min(count - 1, Math.ceil((top + height) / RH) + OVERSCAN);
    const firstInView = Math.min(items.length - 1, Math.floor(top / RH));
    this.anchor = firstInView >= 0
      ? items.slice(firstInView, firstInView + 4).map((c, k) => ({ id: c.conversationId, index: firstInView + k }))
      : null;

    // Active row follows its conversation; if it went away, stay at its place.
    if (this.activeId) {
      const i = model.indexOf(this.activeId);
      if (i >= 0) this.activeIndex = i;
      else this.activeId = items[Math.min(this.activeIndex, items.length - 1)]?.conversationId ?? null;
    }

    let used = 0;
    for (let i = first; i <= last; i++) {
      const row = this.pool[used] ?? this.#newRow();
      used++;
      if (i < items.length) this.#fill(row, i, items[i]);
      else this.#fillLoader(row, i);
    }
    for (let k = used; k < this.pool.length; k++) this.pool[k].hidden = true;

    const activeRow = this.activeId ? this.pool.find((r) => !r.hidden && r._id === this.activeId) : null;
    if (activeRow) viewport.setAttribute('aria-activedescendant', activeRow.id);
    else viewport.removeAttribute('aria-activedescendant');

    this.#footer(items.length);
    this.onRender();
    // Near the end of what is held: fetch the next page — a bigger one when
    // the user already sees the loader (a jump with End or the scrollbar).
    if (!model.finished && !model.error && last >= items.length - Math.ceil(model.pageSize / 2)) {
      model.loadMore(last >= items.length ? model.pageSize * 5 : model.pageSize);
    } else {
      // Let go of far-away rows a burst of events brought in.
      if (model.trim(Math.max(last + 2 * model.pageSize, 1000))) this.schedule();
    }
  }

  // How far the rows that were in view moved: the most common move among the
  // first few of them (one of them may have moved itself, e.g. to the top).
  #shift() {
    const votes = new Map();
    let best = 0;
    let bestVotes = 0;
    for (const { id, index } of this.anchor) {
      const now = this.model.indexOf(id);
      if (now < 0) continue;
      const d = now - index;
      const v = (votes.get(d) ?? 0) + 1;
      votes.set(d, v);
      if (v > bestVotes) {
        best = d;
        bestVotes = v;
      }
    }
    return best;
  }

  // The spacer is as tall as the rows held, plus the loader (or error) row.
  #sizeSpacer() {
    const count = this.model.items.length + (this.model.finished && !this.model.error ? 0 : 1);
    const height = `${count * this.rowHeight}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    return count;
  }

  #footer(n) {
    const m = this.model;
    let text;
    if (m.error) text = `Could not load more: ${m.error.message}`;
    else if (m.finished) text = n === 1 ? '1 conversation' : `${num(n)} conversations`;
    else text = `${num(n)} loaded · ${m.loading ? 'loading…' : 'more below'}`;
    if (this.footer.textContent !== text) this.footer.textContent = text;
  }

  #newRow() {
    const row = el('div', 'row');
    row.setAttribute('role', 'option');
    row.id = `conv-row-${this.pool.length}`;
    const avatar = el('div', 'avatar');
    avatar.setAttribute('aria-hidden', 'true');
    const main = el('div', 'row-main');
    const topLine = el('div', 'row-line');
    const name = el('span', 'row-name');
    const kind = el('span', 'row-kind');
    const pin = icon('pin', 'icon row-pin');
    const time = el('span', 'row-time');
    topLine.append(name, kind, pin, time);
    const bottom = el('div', 'row-line');
    const prev = el('span', 'row-preview');
    const who = el('span', 'row-who');
    const text = el('span', 'row-text');
    prev.append(who, text);
    const mute = icon('mute', 'icon row-mute');
    const badge = el('span', 'badge');
    bottom.append(prev, mute, badge);
    main.append(topLine, bottom);
    const loader = el('div', 'row-loader');
    row.append(avatar, main, loader);
    row._parts = { avatar, name, kind, pin, time, who, text, badge, loader };
    this.spacer.append(row);
    this.pool.push(row);
    return row;
  }

  #place(row, i) {
    row.hidden = false;
    if (row._index !== i) {
      row._index = i;
      row.dataset.index = String(i);
      row.style.transform = `translateY(${i * this.rowHeight}px)`;
      row.setAttribute('aria-posinset', String(i + 1));
    }
    row.setAttribute('aria-setsize', this.model.finished ? String(this.model.items.length) : '-1');
  }

  #fill(row, i, c) {
    this.#place(row, i);
    const selected = c.conversationId === this.selectedId;
    const active = c.conversationId === this.activeId;
    row.classList.toggle('active', active);
    if (row._selected !== selected) {
      row._selected = selected;
      row.classList.toggle('selected', selected);
      row.setAttribute('aria-selected', String(selected));
    }
    if (row._conv === c) return; // the same object: nothing changed
    row._conv = c;
    row._id = c.conversationId;
    row.classList.remove('loader');
    const p = row._parts;
    const name = displayName(c);
    const pv = preview(c, this.me);
    p.avatar.textContent = initials(name);
    p.avatar.className = `avatar c${colorSlot(c.conversationId)}${c.type !== 1 ? ' group' : ''}`;
    p.name.textContent = name;
    p.kind.textContent = c.type === 1 ? '' : TYPE_LABEL[c.type];
    p.kind.hidden = c.type === 1;
    p.time.textContent = shortTime(c.lastMessage?.messageRefer?.createTime ?? c.updateTime);
    p.who.textContent = pv.who ? `${pv.who}: ` : '';
    p.text.textContent = pv.text;
    p.text.className = `row-text ${pv.state}`;
    p.badge.textContent = c.unreadCount > 99 ? '99+' : String(c.unreadCount);
    p.badge.hidden = !(c.unreadCount > 0);
    p.loader.textContent = '';
    row.classList.toggle('pinned', c.stickTop);
    row.classList.toggle('muted', c.mute);
    row.classList.toggle('unread', c.unreadCount > 0);
    const bits = [name];
    if (c.type !== 1) bits.push(TYPE_LABEL[c.type]);
    if (c.unreadCount > 0) bits.push(`${c.unreadCount} unread`);
    if (c.stickTop) bits.push('pinned');
    if (c.mute) bits.push('muted');
    bits.push(`${pv.who ? pv.who + ': ' : ''}${pv.text}`);
    if (p.time.textContent) bits.push(p.time.textContent);
    row.setAttribute('aria-label', bits.join(', '));
  }

  #fillLoader(row, i) {
    this.#place(row, i);
    row._conv = null;
    row._id = null;
    row._selected = false;
    row.classList.remove('pinned', 'muted', 'unread', 'selected', 'active');
    row.classList.add('loader');
    row.setAttribute('aria-selected', 'false');
    row.setAttribute('aria-label', this.model.error ? 'Could not load more conversations' : 'Loading more conversations');
    row._parts.loader.textContent = this.model.error ? `Could not load more: ${this.model.error.message}` : 'Loading…';
  }

  setActive(index, { scroll = true } = {}) {
    const items = this.model.items;
    if (!items.length) return;
    index = Math.max(0, Math.min(items.length - 1, index));
    this.activeIndex = index;
    this.activeId = items[index].conversationId;
    if (scroll) this.scrollToIndex(index);
    this.schedule();
  }

  scrollToIndex(index) {
    this.#sizeSpacer(); // rows may have arrived since the last frame
    const RH = this.rowHeight;
    const v = this.viewport;
    if (index * RH < v.scrollTop) v.scrollTop = index * RH;
    else if ((index + 1) * RH > v.scrollTop + v.clientHeight) v.scrollTop = (index + 1) * RH - v.clientHeight;
  }

  setSelected(id) {
    this.selectedId = id;
    this.schedule();
  }

  #onKey(e) {
    const n = this.model.items.length;
    if (!n || e.altKey || e.ctrlKey || e.metaKey) return;
    const i = this.activeId ? this.activeIndex : -1;
    const page = this.visibleRows - 1;
    let next = null;
    switch (e.key) {
      case 'ArrowDown': next = i + 1; break;
      case 'ArrowUp': next = i - 1; break;
      case 'PageDown': next = i + page; break;
      case 'PageUp': next = i - page; break;
      case 'Home': next = 0; break;
      case 'End': next = n - 1; break;
      case 'ContextMenu':
      case 'F10': {
        if (e.key === 'F10' && !e.shiftKey) return;
        const c = i >= 0 ? this.model.items[i] : null;
        const row = c && this.pool.find((r) => r._id === c.conversationId && !r.hidden);
        if (c && row) {
          e.preventDefault();
          const r = row.getBoundingClientRect();
          this.onMenu(c, { x: r.left + 24, y: r.top + r.height / 2 });
        }
        return;
      }
      case 'Enter':
      case ' ': {
        const c = i >= 0 ? this.model.items[i] : null;
        if (c) {
          e.preventDefault();
          this.onOpen(c);
        }
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    this.setActive(next);
  }
}
