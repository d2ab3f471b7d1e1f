// Drag to rearrange (mouse and touch) with SortableJS. Blazor owns the DOM: the element is put back where it was
// and .NET re-renders the new order it saved, so the two never disagree.
const sortables = new Map();

export function init(element, component) {
  let restoreBefore = null;
  const sortable = Sortable.create(element, {
    draggable: '[data-sortable="true"]',
    animation: 160,
    delay: 150,
    delayOnTouchOnly: true,
    ghostClass: 'item-card--ghost',
    chosenClass: 'item-card--chosen',
    filter: 'input, textarea, .no-drag',
    preventOnFilter: false,
    onStart: evt => { restoreBefore = evt.item.nextSibling; },
    onEnd: evt => {
      const id = evt.item.dataset.itemId;
      const from = evt.oldDraggableIndex;
      const to = evt.newDraggableIndex;
      evt.from.insertBefore(evt.item, restoreBefore);
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
