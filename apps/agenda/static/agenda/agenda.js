// The agenda's small helpers; everything works without them.
// 1. The territory rows of the event form: send the row's department and typed name to the
//    municipality suggestions under the names the endpoint expects.
document.addEventListener("htmx:configRequest", function (evt) {
  var elt = evt.detail.elt;
  var field = elt && elt.getAttribute && elt.getAttribute("data-department-field");
  if (!field) return;
  var select = document.getElementsByName(field)[0];
  var params = evt.detail.parameters;
  params["format"] = "options";
  params["q"] = elt.value;
  params["department"] = select ? select.value : "";
});
// 2. "Copiar" next to the feed URL.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest && evt.target.closest("[data-copy]");
  if (!button) return;
  var input = document.getElementById(button.getAttribute("data-copy"));
  if (!input) return;
  input.select();
  var done = function () { button.textContent = button.getAttribute("data-copied") || "Copiada"; };
  if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done); }
  else if (document.execCommand("copy")) { done(); }
});
