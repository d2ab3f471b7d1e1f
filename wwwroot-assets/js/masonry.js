// Masonry in reading order: a CSS grid with small fixed rows where each card spans as many rows as its height needs.
// The server renders a good first guess from each card's aspect ratio; this refines it to the real column width.
const layouts = new Map();

export function init(grid) {
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
  const key = crypto.randomUUID();
  layouts.set(key, () => { sizes.disconnect(); cards.disconnect(); });
  return key;
}

export function dispose(key) {
  layouts.get(key)?.();
  layouts.delete(key);
}
