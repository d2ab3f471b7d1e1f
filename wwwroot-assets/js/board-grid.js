// The board grid in the browser: masonry layout, drag to rearrange, and focus for the one card menu and caption editor.
//
// Masonry in reading order: a CSS grid with small fixed rows where each card spans as many rows as its height needs.
// The server renders a good first guess from each card's aspect ratio; this refines it to the real column width.
//
// Drag to rearrange (mouse and touch) with SortableJS. Blazor owns the DOM: the element is put back where it was
// and .NET re-renders the new order it saved, so the two never disagree.
const grids = new Map();
// Cards move only while the grid says so (editors, and not while a review filter hides some of them).
const DRAGGABLE = '[data-sortable="true"] > [data-item-id]';

export function init(grid, component) {
  const style = getComputedStyle(grid);
  const row = parseFloat(style.gridAutoRows) || 8;
  const gap = parseFloat(style.rowGap) || 0;
  // Cards are aligned to the start of their area, so their own height never depends on their span: no feedback loop.
  const fit = card => { card.style.gridRowEnd = `span ${Math.max(1, Math.ceil((card.offsetHeight + gap) / (row + gap)))}`; };
  const sizes = new ResizeObserver(entries => { for (const e of entries) fit(e.target); });
  const watch = card => { sizes.observe(card); fit(card); };
  const cards = new MutationObserver(changes => {
    for (const change of changes) {
      for (const node of change.addedNodes) if (node.nodeType === 1 && node.matches('[data-testid=board-item]')) watch(node);
    }
  });
  grid.querySelectorAll('[data-testid=board-item]').forEach(watch);
  cards.observe(grid, { childList: true });

  // Inside the open card menu: arrows move between its items, Esc and Tab close it (Esc puts the focus back on its button).
  const keys = e => {
    const menu = e.target.closest?.('[role=menu]');
    if (!menu) return;
    const items = [...menu.querySelectorAll('[role=menuitem]')];
    const at = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      menu.closest('[data-item-id]')?.querySelector('[data-act=menu]')?.click();
    } else if (e.key === 'Tab') {
      // The focus moves on by itself; the menu just closes behind it.
      const backdrop = menu.closest('[data-item-id]')?.querySelector('[data-act=menu-close]');
      if (backdrop) {
        backdrop.dataset.arg = 'tab';
        backdrop.click();
      }
    }
  };
  grid.addEventListener('keydown', keys);

  let sortable = null;
  if (component) {
    sortable = Sortable.create(grid, {
      draggable: DRAGGABLE,
      animation: 160,
      forceFallback: true, // pointer events, not HTML5 drag: the same behaviour for mouse and touch
      fallbackTolerance: 4,
      fallbackOnBody: true,
      delay: 150,
      delayOnTouchOnly: true,
      ghostClass: 'item-card--ghost',
      chosenClass: 'item-card--chosen',
      filter: 'input, textarea, .no-drag, [role=menu]',
      preventOnFilter: false,
      onEnd: evt => {
        const id = evt.item.dataset.itemId;
        const from = evt.oldDraggableIndex;
        const to = evt.newDraggableIndex;
        // Put the element back at its old place among the draggable siblings.
        const siblings = [...evt.from.children].filter(e => e !== evt.item && e.matches(DRAGGABLE));
        evt.from.insertBefore(evt.item, siblings[from] ?? null);
        if (from !== to) {
          component.invokeMethodAsync('OnMovedFromBrowser', id, to);
        }
      },
    });
  }

  const key = crypto.randomUUID();
  grids.set(key, () => { sizes.disconnect(); cards.disconnect(); grid.removeEventListener('keydown', keys); sortable?.destroy(); });
  return key;
}

// The card menu opened: its button says so, and the focus moves to the first item.
export function menuOpened(grid, itemId) {
  const card = grid.querySelector(`[data-item-id="${itemId}"]`);
  card?.querySelector('[data-act=menu]')?.setAttribute('aria-expanded', 'true');
  card?.querySelector('[role=menuitem]')?.focus();
}

// The card menu closed: its button says so and, unless a choice moved the focus elsewhere, takes the focus back.
export function menuClosed(grid, itemId, returnFocus) {
  const button = grid.querySelector(`[data-item-id="${itemId}"] [data-act=menu]`);
  button?.setAttribute('aria-expanded', 'false');
  if (returnFocus) button?.focus();
}

// Puts the focus on a control of a card (after its caption was edited, or when a menu closes).
export function focusCard(grid, itemId, selector) {
  grid.querySelector(`[data-item-id="${itemId}"] ${selector}`)?.focus();
}

export function dispose(key) {
  grids.get(key)?.();
  grids.delete(key);
}
