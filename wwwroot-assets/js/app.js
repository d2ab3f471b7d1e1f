// Small browser helpers called from Blazor components through JS interop.
window.presetMoodboard = {
  copyText: async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
};
