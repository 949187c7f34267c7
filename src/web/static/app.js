// Progressive enhancement only: every form works without this file.
document.addEventListener('submit', function (e) {
  var form = e.target;
  var label = form.getAttribute('data-working');
  if (!label) return;
  var button = form.querySelector('button[type=submit]');
  if (button && !button.disabled) {
    setTimeout(function () { button.disabled = true; button.textContent = label; }, 0);
  }
});

// Copy buttons beside keys and URLs: added only where the browser can copy, so pages
// without JavaScript show the text alone, selectable as before.
if (navigator.clipboard && window.isSecureContext) {
  document.querySelectorAll('[data-copy]').forEach(function (el) {
    var label = el.getAttribute('data-copy') || 'Copy';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary copy';
    button.textContent = label;
    button.setAttribute('aria-live', 'polite');
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        button.textContent = el.getAttribute('data-copied') || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
    el.insertAdjacentElement('afterend', button);
  });
}
