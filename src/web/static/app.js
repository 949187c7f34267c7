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
