// The live event log: every CustomEvent the service dispatches, newest first.
// Events are only counted and queued when they arrive; the DOM is updated once
// per animation frame with at most `max` entries, so a 100,000-event seeding
// costs the page nothing it can feel.
import { el, num, clock, describeEvent } from './format.js';

const SHORT = {
  syncStarted: 'sync started', syncFinished: 'sync finished', syncFailed: 'sync failed',
  conversationCreated: 'created', conversationDeleted: 'deleted', conversationChanged: 'changed',
  conversationReadTimeUpdated: 'read time', totalUnreadCountChanged: 'total unread',
  unreadCountChangedByFilter: 'filter unread',
};

export class EventLog {
  constructor({ list, count, types, pauseButton, clearButton, nameOf, max = 120 }) {
    Object.assign(this, { list, count, types, nameOf, max });
    this.queue = [];
    this.total = 0;
    this.byType = new Map();
    this.paused = false;
    this.frame = 0;
    pauseButton.addEventListener('click', () => {
      this.paused = !this.paused;
      pauseButton.setAttribute('aria-pressed', String(this.paused));
      pauseButton.textContent = this.paused ? 'Resume' : 'Pause';
    });
    clearButton.addEventListener('click', () => {
      this.queue = [];
      this.total = 0;
      this.byType.clear();
      this.list.replaceChildren();
      this.schedule();
    });
  }

  add(type, detail) {
    this.total++;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    if (!this.paused) {
      this.queue.push({ time: Date.now(), type, detail });
      if (this.queue.length > this.max * 4) this.queue.splice(0, this.queue.length - this.max);
    }
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  flush() {
    const fresh = this.queue.slice(-this.max);
    this.queue = [];
    if (fresh.length) {
      const frag = document.createDocumentFragment();
      for (let i = fresh.length - 1; i >= 0; i--) {
        const { time, type, detail } = fresh[i];
        const li = el('li', `log-entry t-${type}`);
        li.append(el('time', 'log-time', clock(time)), el('span', 'log-type', type), el('span', 'log-detail', describeEvent(type, detail, this.nameOf)));
        frag.append(li);
      }
      this.list.prepend(frag);
      while (this.list.childElementCount > this.max) this.list.lastElementChild.remove();
    }
    this.count.textContent = this.total ? `(${num(this.total)})` : '';
    const chips = [...this.byType].map(([type, n]) => {
      const chip = el('span', `log-chip t-${type}`, `${SHORT[type] ?? type} ${num(n)}`);
      chip.title = type;
      return chip;
    });
    this.types.replaceChildren(...chips);
  }
}
