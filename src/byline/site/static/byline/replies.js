// Replies on an article page (loaded for readers who may reply; no inline script: CSP).
(function () {
  // With JavaScript, each reply's "Reply" button points the main form at that reply;
  // without it, each reply has its own small form in a <details>.
  var form = document.getElementById("reply-form");
  if (!form) return;
  var parent = document.getElementById("reply-parent");
  var body = document.getElementById("reply-body");
  var note = document.getElementById("replying-to");
  var name = document.getElementById("replying-to-name");
  document.querySelectorAll(".reply-inline").forEach(function (el) { el.hidden = true; });
  document.querySelectorAll(".reply-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      parent.value = button.getAttribute("data-parent");
      name.textContent = button.getAttribute("data-author");
      note.hidden = false;
      form.scrollIntoView({block: "center"});
      body.focus();
    });
  });
  document.getElementById("reply-cancel").addEventListener("click", function () {
    parent.value = "";
    note.hidden = true;
    body.focus();
  });
})();
