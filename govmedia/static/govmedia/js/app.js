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

// On a phone the side navigation is folded away (app.css); the 菜单 button in the top bar opens it.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".navtoggle");
  if (!button) return;
  var nav = document.getElementById(button.getAttribute("aria-controls"));
  var open = nav.classList.toggle("open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
