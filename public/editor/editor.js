// The editor's live preview: while a person types in a page's form, the
// preview beside it is refreshed (at most one request at a time, after a
// short pause in typing). Without JavaScript the Preview button does the same.
const form = document.querySelector('form.app-edit-form');
const frame = document.getElementById('preview-frame');
const status = document.getElementById('preview-status');

if (form && frame && status) {
  let timer = null;
  let inFlight = false;
  let again = false;

  const refresh = async () => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const data = new URLSearchParams(new FormData(form));
      data.delete('action');
      const response = await fetch(form.dataset.previewUrl, { method: 'POST', body: data, credentials: 'same-origin' });
      if (!response.ok) return;
      const preview = await response.json();
      if (preview.html) {
        const scroll = frame.contentWindow ? frame.contentWindow.scrollY : 0;
        frame.addEventListener('load', () => frame.contentWindow && frame.contentWindow.scrollTo(0, scroll), {
          once: true,
        });
        frame.srcdoc = preview.html;
      }
      if (status.textContent !== preview.status) status.textContent = preview.status;
    } catch {
      // A failed refresh leaves the last preview; the Preview button still works.
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
}
