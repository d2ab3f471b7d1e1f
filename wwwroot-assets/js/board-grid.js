// The board grid in the browser: it draws and keeps the cards, lays them out, lets editors drag them, and runs the one
// card menu and the caption editor.
//
// Cards: the server sends the order of all cards and the markup of the new and changed ones (update); it keeps no markup
// per card itself. A card's data-v names its version, so a card already shown (prerendered, adopted by app.js) stays as
// it is when the server's markup is the same. A card with its menu or caption editor open is replaced when that closes.
//
// Masonry in reading order: a CSS grid with small fixed rows where each card spans as many rows as its height needs.
// The server gives a good first guess from each card's aspect ratio; this refines it to the real column width.
//
// Drag to rearrange (mouse and touch) with SortableJS. The card stays where it was dropped; the server sends the order it
// kept right after, which puts it back if the move was refused.
const grids = new Map();
// Per grid: whether a card is being dragged, and the updates that wait for the drop (a card moved under the pointer
// would give the server a wrong place).
const drags = new WeakMap();
// Cards move only while the grid says so (editors, and not while a review filter hides some of them).
const DRAGGABLE = '[data-sortable="true"] > [data-item-id]';
const CARD = '[data-testid=board-item]';

export function init(grid, component, options) {
  if (!grid?.isConnected) return null;
  const drag = { active: false, waiting: [] };
  drags.set(grid, drag);
  const fit = presetMoodboard.cardFitter(grid);
  // A card is fitted when the observer reports its size, after the browser's own layout: reading its height as it is added
  // would make the browser lay the page out again, at once, for every card that comes or changes.
  const sizes = new ResizeObserver(entries => { for (const e of entries) fit(e.target, e.borderBoxSize?.[0]?.blockSize ?? e.target.offsetHeight); });
  const watch = card => sizes.observe(card);
  const cards = new MutationObserver(changes => {
    for (const change of changes) {
      for (const node of change.addedNodes) if (node.nodeType === 1 && node.matches(CARD)) watch(node);
      for (const node of change.removedNodes) if (node.nodeType === 1 && !node.isConnected) sizes.unobserve(node);
    }
  });
  grid.querySelectorAll(CARD).forEach(watch);
  cards.observe(grid, { childList: true });

  const clicks = e => {
    const control = e.target.closest?.('[data-act]');
    const card = control?.closest('[data-item-id]');
    if (!card || !grid.contains(card)) return;
    switch (control.dataset.act) {
      case 'menu':
        if (card.querySelector('[role=menu]')) closeMenu(grid, true);
        else openMenu(grid, card, options.menus);
        break;
      case 'menu-close':
        closeMenu(grid, true);
        break;
      case 'caption':
        editCaption(card, control, component, options.captionMaxLength);
        break;
      default:
        // A menu choice: the server acts on the same click (the grid's handler), so the menu goes once it has been read;
        // the focus goes back to the card's menu button (a dialog the choice opens takes it from there).
        if (control.matches('[role=menuitem]')) setTimeout(() => closeMenu(grid, true));
    }
  };
  grid.addEventListener('click', clicks);

  // Inside the open card menu: arrows move between its items, Esc closes it and puts the focus back on its button, and
  // the focus leaving it (Tab) closes it behind.
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
      closeMenu(grid, true);
    }
  };
  const leaves = e => {
    const menu = e.target.closest?.('[role=menu]');
    if (menu && e.relatedTarget && !menu.contains(e.relatedTarget)) closeMenu(grid, false);
  };
  grid.addEventListener('keydown', keys);
  grid.addEventListener('focusout', leaves);

  const sortable = Sortable.create(grid, {
    draggable: DRAGGABLE,
    animation: 160,
    forceFallback: true, // pointer events, not HTML5 drag: the same behaviour for mouse and touch
    fallbackTolerance: 4,
    fallbackOnBody: true,
    delay: 150,
    delayOnTouchOnly: true,
    ghostClass: 'item-card--ghost',
    chosenClass: 'item-card--chosen',
    filter: 'input, textarea, .no-drag, [role=menu], .card-menu__backdrop',
    preventOnFilter: false,
    onStart: () => { drag.active = true; },
    onEnd: evt => {
      drag.active = false;
      for (const [order, changed] of drag.waiting.splice(0)) update(grid, order, changed);
      if (evt.oldDraggableIndex !== evt.newDraggableIndex) {
        component.invokeMethodAsync('OnMovedFromBrowser', evt.item.dataset.itemId, evt.newDraggableIndex);
      }
    },
  });

  const key = crypto.randomUUID();
  const versions = Object.fromEntries([...grid.children].filter(c => c.dataset.itemId).map(c => [c.dataset.itemId, c.dataset.v]));
  grids.set(key, () => {
    sizes.disconnect();
    cards.disconnect();
    grid.removeEventListener('click', clicks);
    grid.removeEventListener('keydown', keys);
    grid.removeEventListener('focusout', leaves);
    sortable.destroy();
  });
  // The cards already shown (prerendered, adopted): the server sends only those that differ.
  return { key, versions };
}

// The cards in the server's order: new and changed ones from their markup, the rest as they are, none that has gone.
// Returns how many cards of the order it did not have (a send lost on the way): the server then sends them all again.
export function update(grid, order, changed) {
  if (!grid?.isConnected) return 0;
  const drag = drags.get(grid);
  if (drag?.active) {
    drag.waiting.push([order, changed]);
    return 0;
  }

  const focused = document.activeElement;
  const byId = new Map([...grid.children].filter(c => c.dataset.itemId).map(c => [c.dataset.itemId, c]));
  for (const { id, html } of changed) {
    const fresh = fromHtml(html);
    const shown = byId.get(id);
    if (!shown || (!shown.querySelector('img') && fresh.querySelector('img'))) {
      // New to the board, or its image just arrived: it fades in once.
      fresh.dataset.fresh = '';
      fresh.addEventListener('animationend', () => delete fresh.dataset.fresh, { once: true });
    }

    if (!shown) {
      byId.set(id, fresh);
    } else if (shown.dataset.v !== fresh.dataset.v) {
      shown.next = fresh;
      byId.set(id, settle(shown));
    } else {
      shown.next = undefined;
    }
  }

  // Gone cards first, so that the cards after them need not move.
  const kept = new Set(order);
  for (const card of [...grid.children]) if (!kept.has(card.dataset.itemId)) card.remove();

  let missing = 0;
  let at = grid.firstElementChild;
  for (const id of order) {
    const card = byId.get(id);
    if (!card) missing++;
    else if (card === at) at = at.nextElementSibling;
    else grid.insertBefore(card, at);
  }

  // A card that moved took the focus out of the page with it (a menu open on it, say): it goes back where it was.
  if (focused !== document.activeElement && focused?.isConnected && grid.contains(focused)) focused.focus({ preventScroll: true });
  return missing;
}

function fromHtml(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content.firstElementChild;
}

// Replaces a card by its newer version unless its menu or caption editor is open; the focus stays on the same control.
// Returns the card now shown.
function settle(card) {
  const fresh = card.next;
  if (!fresh || !card.isConnected || card.querySelector('[role=menu], .item-card__caption-input')) return card;
  card.next = undefined;
  const focused = card.contains(document.activeElement) ? document.activeElement : null;
  card.replaceWith(fresh);
  const same = focused && sameControl(focused);
  if (same) fresh.querySelector(same)?.focus();
  return fresh;
}

// A selector for the same control in a newer version of its card: by its test id (one per control), else by what it does.
function sameControl(element) {
  const { testid, act, arg } = element.dataset;
  if (testid) return `[data-testid="${CSS.escape(testid)}"]`;
  if (act) return `[data-act="${CSS.escape(act)}"]${arg ? `[data-arg="${CSS.escape(arg)}"]` : ''}`;
  return null;
}

// The card menu opens: its button says so, and the focus moves to its first choice.
function openMenu(grid, card, menus) {
  closeMenu(grid, false);
  const button = card.querySelector('[data-act=menu]');
  if (!button || !menus[card.dataset.menu]) return;
  button.insertAdjacentHTML('afterend', menus[card.dataset.menu]);
  button.setAttribute('aria-expanded', 'true');
  const menu = card.querySelector('[role=menu]');
  // The first card has nowhere to move to.
  if (grid.querySelector('[data-item-id]') === card) menu.querySelector('[data-act=move-first]')?.remove();
  // A narrow card near the left edge (phones): the menu opens to the right of its start instead.
  if (menu.getBoundingClientRect().left < 8) menu.classList.add('card-menu--start');
  card.querySelector('[role=menuitem]')?.focus();
}

// The card menu closes: its button says so and, unless a choice moved the focus elsewhere, takes the focus back.
function closeMenu(grid, returnFocus) {
  const menu = grid.querySelector('[role=menu]');
  const card = menu?.closest('[data-item-id]');
  if (!card) return;
  card.querySelector('.card-menu__backdrop')?.remove();
  menu.remove();
  const button = card.querySelector('[data-act=menu]');
  button?.setAttribute('aria-expanded', 'false');
  if (returnFocus) button?.focus();
  settle(card);
}

// The caption becomes a field: Enter saves and gives the focus back to the caption, Esc leaves it as it was, leaving
// the field saves. The server's new card follows the save.
function editCaption(card, caption, component, maxLength) {
  if (card.querySelector('.item-card__caption-input')) return;
  const original = caption.classList.contains('item-card__caption--empty') ? '' : caption.textContent;
  const input = document.createElement('input');
  input.className = 'item-card__caption-input';
  input.maxLength = maxLength;
  input.value = original;
  input.placeholder = 'Add a caption';
  input.setAttribute('aria-label', 'Caption');
  input.dataset.testid = 'caption-input';
  caption.hidden = true;
  caption.after(input);
  input.focus();

  let done = false;
  const finish = (save, refocus) => {
    if (done) return;
    done = true;
    input.remove();
    caption.hidden = false;
    if (save && input.value.trim() !== original.trim()) component.invokeMethodAsync('OnCaptionFromBrowser', card.dataset.itemId, input.value);
    if (refocus) caption.focus();
    settle(card);
  };
  input.addEventListener('keydown', e => {
    if (e.key === 'Enter') {
      e.preventDefault();
      finish(true, true);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      finish(false, true);
    }
  });
  // Leaving the field saves; a blur because the card moved (a change from elsewhere) does not: the grid gives the focus back.
  input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== input) finish(true, false); }));
}

export function dispose(key) {
  grids.get(key)?.();
  grids.delete(key);
}
