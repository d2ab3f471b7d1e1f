// Small browser helpers called from Blazor components through JS interop.
window.presetMoodboard = {
  // Tests and scripts wait for this flag: clicks before the circuit is connected would be lost.
  markInteractive: () => { document.documentElement.dataset.circuit = 'up'; },
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
