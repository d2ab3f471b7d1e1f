// Keyboard and clipboard for the composer: "/" focuses the prompt, Ctrl+Enter generates,
// pasting or dropping image files anywhere on the board hands them to the upload input.
const handlers = new Map();

export function init(root, component) {
  const prompt = () => root.querySelector('textarea');
  const upload = () => root.querySelector('input[type=file]');
  root.querySelectorAll('[data-keep-typed]').forEach(field => window.presetMoodboard?.takeOverTyped?.(field));

  const onKey = e => {
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      prompt()?.focus();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && root.contains(e.target)) {
      e.preventDefault();
      // Through .NET, not a click: the prompt's last keystrokes reach the server first, so the check sees them.
      component.invokeMethodAsync('GenerateFromKeyboard');
    }
  };

  const hand = files => {
    const input = upload();
    if (!input || files.length === 0) return false;
    const transfer = new DataTransfer();
    for (const f of files) transfer.items.add(f);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  };

  const onPaste = e => {
    const files = [...(e.clipboardData?.files ?? [])].filter(f => f.type.startsWith('image/'));
    if (files.length > 0 && hand(files)) e.preventDefault();
  };

  const onDragOver = e => {
    if ([...(e.dataTransfer?.types ?? [])].includes('Files')) {
      e.preventDefault();
      root.classList.add('composer--drop');
    }
  };
  const onDragLeave = e => { if (e.target === document.documentElement || !e.relatedTarget) root.classList.remove('composer--drop'); };
  const onDrop = e => {
    root.classList.remove('composer--drop');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length > 0) {
      e.preventDefault();
      hand(files);
    }
  };

  // The preset, ratio and count buttons are drawn anew when chosen: the keyboard's focus follows the chosen one.
  let chosen = null;
  const onChoose = e => {
    const control = e.target.closest?.('[data-act][data-arg]');
    chosen = control && root.contains(control) && document.activeElement === control ? control.dataset : null;
  };
  const refocus = new MutationObserver(() => {
    const active = document.activeElement;
    if (chosen && (!active || active === document.body || !active.isConnected)) {
      root.querySelector(`[data-act="${CSS.escape(chosen.act)}"][data-arg="${CSS.escape(chosen.arg)}"]`)?.focus();
    }
    chosen = null;
  });
  root.addEventListener('click', onChoose);
  refocus.observe(root, { childList: true, subtree: true });

  document.addEventListener('keydown', onKey);
  document.addEventListener('paste', onPaste);
  document.addEventListener('dragover', onDragOver);
  document.addEventListener('dragleave', onDragLeave);
  document.addEventListener('drop', onDrop);
  const key = crypto.randomUUID();
  handlers.set(key, () => {
    root.removeEventListener('click', onChoose);
    refocus.disconnect();
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('paste', onPaste);
    document.removeEventListener('dragover', onDragOver);
    document.removeEventListener('dragleave', onDragLeave);
    document.removeEventListener('drop', onDrop);
  });
  return key;
}

export function dispose(key) {
  handlers.get(key)?.();
  handlers.delete(key);
}

export function focusPrompt(root) {
  const prompt = root.querySelector('textarea');
  prompt?.focus();
  prompt?.setSelectionRange(prompt.value.length, prompt.value.length);
}
