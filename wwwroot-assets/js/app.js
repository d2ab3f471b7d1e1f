// Small browser helpers called from Blazor components through JS interop.
window.presetMoodboard = {
  // Tests and scripts wait for this flag: clicks before the circuit is connected would be lost.
  markInteractive: () => {
    document.documentElement.dataset.circuit = 'up';
    const nav = document.documentElement.dataset.nav;
    const expanded = matchMedia('(min-width: 960px)').matches ? nav !== 'closed' : nav === 'open';
    document.querySelector('.app-bar__menu')?.setAttribute('aria-expanded', expanded ? 'true' : 'false');
  },
  setTitle: (title) => { document.title = title; },
  prefersDark: () => matchMedia('(prefers-color-scheme: dark)').matches,
  selectFocused: () => { document.activeElement?.select?.(); },
  // Moves the focus into a panel that just opened: its first link, button or field, or the panel itself when it has none
  // (an empty list of notifications), so that Esc and the screen reader start there.
  focusFirst: (panel) => { (panel?.querySelector('a[href], button:not([disabled]), input, textarea, select, [tabindex="0"]') ?? panel)?.focus(); },
  // The navigation drawer lives in the browser only (no server state per page): beside the page from 960 px, where the
  // button folds it away; over the page below that, where the button opens it and Esc, the scrim or a link close it.
  toggleNav: (button) => {
    const root = document.documentElement;
    if (matchMedia('(min-width: 960px)').matches) {
      root.dataset.nav = root.dataset.nav === 'closed' ? '' : 'closed';
      button.setAttribute('aria-expanded', root.dataset.nav === 'closed' ? 'false' : 'true');
    } else if (root.dataset.nav === 'open') {
      presetMoodboard.closeNav(true);
    } else {
      root.dataset.nav = 'open';
      button.setAttribute('aria-expanded', 'true');
      document.querySelector('#app-nav a[href]')?.focus();
    }
  },
  closeNav: (refocus) => {
    const root = document.documentElement;
    if (root.dataset.nav !== 'open') return false;
    root.dataset.nav = '';
    const button = document.querySelector('.app-bar__menu');
    button?.setAttribute('aria-expanded', 'false');
    if (refocus) button?.focus();
    return true;
  },
  // Masonry in reading order: a CSS grid with small fixed rows where each card spans as many rows as its height needs. The
  // server gives a first guess from each card's shape; this fits a card to its real height at the real column width.
  // Cards are aligned to the start of their area, so their own height never depends on their span: no feedback loop.
  cardFitter: (grid) => {
    const style = getComputedStyle(grid);
    const row = parseFloat(style.gridAutoRows) || 8;
    const gap = parseFloat(style.rowGap) || 0;
    return (card, height = card.offsetHeight) => {
      const span = `span ${Math.max(1, Math.ceil((height + gap) / (row + gap)))}`;
      if (card.style.gridRowEnd !== span) card.style.gridRowEnd = span;
    };
  },
  focusSelector: (selector) => { document.querySelector(selector)?.focus(); },
  copyText: async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
};

// One click handler for a container of plain-markup controls (ActEventArgs in .NET): which control, and on a board which card.
Blazor.registerCustomEventType('actclick', {
  browserEventName: 'click',
  createEventArgs: e => {
    const control = e.target.closest?.('[data-act]');
    const card = (control ?? e.target).closest?.('[data-item-id]');
    return { itemId: card?.dataset.itemId ?? null, act: control?.dataset.act ?? null, arg: control?.dataset.arg ?? null };
  },
});

// Controls drawn as plain markup that are not buttons (an editable caption) answer Enter and Space like a button.
document.addEventListener('keydown', e => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches?.('[data-act]:not(button):not(input):not(textarea)')) {
    e.preventDefault();
    e.target.click();
  }
});

// The drawer over the page (phones) closes with Esc, and when one of its links is followed.
document.addEventListener('keydown', e => {
  if (e.key === 'Escape' && presetMoodboard.closeNav(true)) e.preventDefault();
});
document.addEventListener('click', e => {
  if (e.target.closest?.('#app-nav a[href]')) presetMoodboard.closeNav(false);
});

// Once the board page is interactive its cards are drawn by the browser (board-grid.js). The cards the server
// prerendered are kept here as the page starts and put into the interactive grid as soon as it appears, before the
// browser paints, so the board does not blink empty; the grid's first update keeps each card that is still current.
// The prerendered cards are fitted at once too, so the layout the page first shows is the one it keeps.
(() => {
  const prerendered = document.querySelector('[data-cards=server]');
  if (!prerendered) return;
  const cards = [...prerendered.children];
  const fit = presetMoodboard.cardFitter(prerendered);
  cards.forEach(card => fit(card));
  const path = location.pathname;
  const adopt = new MutationObserver(() => {
    const grid = document.querySelector('[data-cards=browser]');
    if (location.pathname !== path || grid) adopt.disconnect();
    if (grid && location.pathname === path && grid.children.length === 0) grid.append(...cards);
  });
  adopt.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => adopt.disconnect(), 30000);
})();

// Text typed into a prerendered field before the page is interactive: the interactive render draws the field anew, empty,
// and moves the focus to the heading. The prerendered fields marked data-keep-typed are kept here; their component hands
// its live field over once it is set up, and takes the text (unless the live one already holds something new) and the
// focus, when the old field had it. Keys pressed between the old field going and the live one taking over are kept for it.
(() => {
  const prerendered = new Map([...document.querySelectorAll('[data-keep-typed][id]')].map(f => [f.id, f]));
  let focused = prerendered.get(document.activeElement?.id) === document.activeElement ? document.activeElement : null;
  let keys = [];
  const orphaned = () => focused !== null && !focused.isConnected && prerendered.get(focused.id) === focused;
  const typing = el => el?.matches?.('input, textarea, select, [contenteditable]');
  document.addEventListener('focusin', e => {
    if (prerendered.get(e.target.id) === e.target) focused = e.target;
    else if (!orphaned()) focused = null;
  });
  document.addEventListener('keydown', e => {
    const key = e.key === 'Enter' && focused?.tagName === 'TEXTAREA' ? '\n' : e.key;
    if (orphaned() && !typing(e.target) && (key.length === 1 || key === 'Backspace') && !e.ctrlKey && !e.metaKey && !e.altKey) {
      keys.push(key);
      e.preventDefault();
    }
  }, true);
  presetMoodboard.takeOverTyped = field => {
    const old = prerendered.get(field?.id);
    prerendered.delete(field?.id);
    if (!old || old === field || old.isConnected) return;
    const had = focused === old;
    // The keys held meanwhile are typed at the old field's caret, as the field would have taken them.
    let before = old.value.slice(0, old.selectionStart ?? old.value.length);
    const after = old.value.slice(old.selectionEnd ?? old.value.length);
    let selected = old.selectionStart !== old.selectionEnd;
    for (const key of had ? keys : []) {
      if (key === 'Backspace' && !selected) before = before.slice(0, -1);
      else if (key !== 'Backspace') before += key;
      selected = false;
    }

    const text = had && keys.length > 0 ? before + after : old.value;
    if (had) [focused, keys] = [null, []];
    if (text !== old.defaultValue && field.value === old.defaultValue) {
      field.value = text;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    }

    if (had && !typing(document.activeElement)) {
      field.focus();
      if (text === old.value) field.setSelectionRange?.(old.selectionStart, old.selectionEnd);
      else field.setSelectionRange?.(before.length, before.length);
    }
  };
  // A page that never becomes interactive, or has no such component, does not hold its old fields for ever.
  setTimeout(() => prerendered.clear(), 60000);
})();
