// Small browser helpers called from Blazor components through JS interop.
window.presetMoodboard = {
  // Tests and scripts wait for this flag: clicks before the circuit is connected would be lost.
  markInteractive: () => { document.documentElement.dataset.circuit = 'up'; },
  prefersDark: () => matchMedia('(prefers-color-scheme: dark)').matches,
  selectFocused: () => { document.activeElement?.select?.(); },
  // Moves the focus into a panel that just opened: its first link, button or field.
  focusFirst: (panel) => { panel?.querySelector('a[href], button:not([disabled]), input, textarea, select, [tabindex="0"]')?.focus(); },
  copyText: async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
};

// The board grid's one click handler (CardEventArgs in .NET): which card, and which of its controls.
Blazor.registerCustomEventType('cardclick', {
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
