// Arrow keys move through images while the detail view is open; A, C and R give a verdict where reviewing is allowed; Esc
// closes it when the focus has fallen out of it.
const handlers = new Map();

export function init(component) {
  const onKey = e => {
    const typing = e.target instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName) || e.target.isContentEditable);
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    // The dialog closes on Esc while the focus is in it; a button that went disabled under the focus (the last image's ›, an
    // edit refused) leaves it on the page, where Esc must still close the view.
    if (e.key === 'Escape' && (e.target === document.body || e.target === document.documentElement)) { e.preventDefault(); component.invokeMethodAsync('Close'); }
    if (e.key === 'ArrowLeft') { e.preventDefault(); component.invokeMethodAsync('Step', -1); }
    if (e.key === 'ArrowRight') { e.preventDefault(); component.invokeMethodAsync('Step', 1); }
    const letter = e.key.length === 1 ? e.key.toLowerCase() : '';
    if (['a', 'c', 'r'].includes(letter)) { e.preventDefault(); component.invokeMethodAsync('Shortcut', letter); }
  };
  document.addEventListener('keydown', onKey);
  const key = crypto.randomUUID();
  // Says the keys are live (tests wait for it: the view opens before its keys are listened to).
  document.documentElement.dataset.detailKeys = key;
  handlers.set(key, () => {
    document.removeEventListener('keydown', onKey);
    if (document.documentElement.dataset.detailKeys === key) delete document.documentElement.dataset.detailKeys;
  });
  return key;
}

export function dispose(key) {
  handlers.get(key)?.();
  handlers.delete(key);
}
