// The row menu: what a chat list offers on a conversation without opening it
// (pin, mute, mark read, delete), from a right click on a row or, on the
// focused row, the context-menu key or Shift+F10. Escape, a click elsewhere
// or scrolling closes it; focus returns to the list.
import { confirmFirst } from './confirm.js';

export class RowMenu {
  constructor(menu, { service, act, list }) {
    Object.assign(this, { menu, service, act, list, conv: null });
    this.items = {
      pin: menu.querySelector('[data-action="pin"]'),
      mute: menu.querySelector('[data-action="mute"]'),
      read: menu.querySelector('[data-action="read"]'),
      delete: menu.querySelector('[data-action="delete"]'),
      clear: menu.querySelector('[data-action="clear"]'),
    };
    confirmFirst(this.items.clear, 'Delete it and its messages? Choose again');
    menu.addEventListener('click', (e) => {
      const item = e.target.closest('[data-action]');
      if (!item || item.dataset.armed === 'true') return; // the first click of a confirmation
      this.run(item.dataset.action);
    });
    menu.addEventListener('keydown', (e) => this.#key(e));
    document.addEventListener('pointerdown', (e) => { if (!menu.hidden && !menu.contains(e.target)) this.close(false); });
    list.addEventListener('scroll', () => this.close(false), { passive: true });
  }

  open(c, { x, y }) {
    this.conv = c;
    this.items.pin.textContent = c.stickTop ? 'Unpin' : 'Pin to top';
    this.items.mute.textContent = c.mute ? 'Unmute' : 'Mute';
    this.items.read.disabled = c.unreadCount === 0;
    this.menu.hidden = false;
    // Inside the viewport, next to the pointer.
    const r = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.max(4, Math.min(x, innerWidth - r.width - 4))}px`;
    this.menu.style.top = `${Math.max(4, Math.min(y, innerHeight - r.height - 4))}px`;
    this.#focusables()[0]?.focus();
  }

  close(refocus = true) {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    this.conv = null;
    if (refocus) this.list.focus({ preventScroll: true });
  }

  run(action) {
    const c = this.conv;
    this.close();
    if (!c) return;
    const id = c.conversationId;
    this.act(async () => {
      switch (action) {
        case 'pin': await this.service.stickTopConversation(id, !c.stickTop); break;
        case 'mute': await this.service.updateConversationInfo(id, { mute: !c.mute }); break;
        case 'read': await this.service.markConversationRead(id); break;
        case 'delete': await this.service.deleteConversation(id, false); break;
        case 'clear': await this.service.deleteConversation(id, true); break;
        default:
      }
    });
  }

  #focusables() { return [...this.menu.querySelectorAll('[data-action]:not(:disabled)')]; }

  #key(e) {
    const items = this.#focusables();
    const i = items.indexOf(document.activeElement);
    if (e.key === 'Escape') this.close();
    else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (e.key === 'Tab') this.close();
    else return;
    e.preventDefault();
  }
}
