// Drawers and panels that Blazor opens: Esc closes the topmost, the focus moves into it on open and goes back to
// what had it before on close.
const stack = [];

document.addEventListener('keydown', e => {
  if (e.key !== 'Escape' || stack.length === 0 || document.querySelector('.mud-dialog-container')) return;
  e.preventDefault();
  stack[stack.length - 1].component.invokeMethodAsync('CloseFromEscape');
});

export function opened(component, selector) {
  const entry = { component, previous: document.activeElement };
  stack.push(entry);
  requestAnimationFrame(() => {
    const panel = document.querySelector(selector);
    panel?.querySelector('a[href], button:not([disabled]), input, textarea, select, [tabindex="0"]')?.focus();
  });
  return entry;
}

export function closed(entry) {
  const index = stack.indexOf(entry);
  if (index >= 0) stack.splice(index, 1);
  if (entry?.previous && document.contains(entry.previous)) entry.previous.focus();
}
