// Clicking a kode klasifikasi found by the search fills the field it was searched for.
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("[data-isi]");
  if (!b) return;
  var input = document.getElementById(b.getAttribute("data-untuk"));
  if (input) { input.value = b.getAttribute("data-isi"); input.focus(); }
  var list = b.closest(".kode-hasil");
  if (list) list.innerHTML = "";
});
