// Arrow keys move through images while the detail view is open.
const handlers = new Map();

export function init(component) {
  const onKey = e => {
    const typing = e.target instanceof HTMLElement && ['INPUT', 'TEXTAREA'].includes(e.target.tagName);
    if (typing) return;
    if (e.key === 'ArrowLeft') { e.preventDefault(); component.invokeMethodAsync('Step', -1); }
    if (e.key === 'ArrowRight') { e.preventDefault(); component.invokeMethodAsync('Step', 1); }
  };
  document.addEventListener('keydown', onKey);
  const key = crypto.randomUUID();
  handlers.set(key, () => document.removeEventListener('keydown', onKey));
  return key;
}

export function dispose(key) {
  handlers.get(key)?.();
  handlers.delete(key);
}
