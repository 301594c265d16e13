// Forms marked data-confirm ask before they submit; a submitted form disables its buttons so a
// double click cannot send it twice (the services refuse a repeat anyway). Disabling waits a tick
// so the clicked button's own name and value still go with the form.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); return; }
  setTimeout(function () {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; });
  }, 0);
});
