// confirmFirst makes a destructive button ask before it acts, without a
// dialog: the first activation arms it (its label asks to confirm, for a few
// seconds), the second goes through to its click handlers. A click while it
// is not armed is stopped before any other handler sees it.
export function confirmFirst(button, question, ms = 4000) {
  let timer = 0;
  const label = () => button.dataset.label ?? button.textContent;
  button.addEventListener('click', (e) => {
    if (button.dataset.armed === 'true') {
      disarm();
      return; // confirmed: the other handlers act
    }
    e.stopImmediatePropagation();
    button.dataset.label = label();
    button.dataset.armed = 'true';
    button.textContent = question;
    timer = setTimeout(disarm, ms);
  }, { capture: true });
  function disarm() {
    clearTimeout(timer);
    if (button.dataset.armed !== 'true') return;
    button.dataset.armed = 'false';
    button.textContent = button.dataset.label;
    delete button.dataset.label;
  }
  button.addEventListener('blur', () => setTimeout(disarm, 0));
}
