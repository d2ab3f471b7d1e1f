// Drag to rearrange (mouse and touch) with SortableJS. Blazor owns the DOM: the element is put back where it was
// and .NET re-renders the new order it saved, so the two never disagree.
const sortables = new Map();

export function init(element, component) {
  const sortable = Sortable.create(element, {
    draggable: '[data-sortable="true"]',
    animation: 160,
    forceFallback: true, // pointer events, not HTML5 drag: the same behaviour for mouse and touch
    fallbackTolerance: 4,
    fallbackOnBody: true,
    delay: 150,
    delayOnTouchOnly: true,
    ghostClass: 'item-card--ghost',
    chosenClass: 'item-card--chosen',
    filter: 'input, textarea, .no-drag',
    preventOnFilter: false,
    onEnd: evt => {
      const id = evt.item.dataset.itemId;
      const from = evt.oldDraggableIndex;
      const to = evt.newDraggableIndex;
      // Put the element back at its old place among the draggable siblings.
      const siblings = [...evt.from.children].filter(e => e !== evt.item && e.matches('[data-sortable="true"]'));
      evt.from.insertBefore(evt.item, siblings[from] ?? null);
      if (from !== to) {
        component.invokeMethodAsync('OnMovedFromBrowser', id, to);
      }
    },
  });
  const key = crypto.randomUUID();
  sortables.set(key, sortable);
  return key;
}

export function dispose(key) {
  sortables.get(key)?.destroy();
  sortables.delete(key);
}
