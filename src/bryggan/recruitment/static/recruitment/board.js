// The board's columns: drag a card onto another column to move it there. Dropping only
// chooses the stage in the card's own form and submits it, so the move is the same request
// as the keyboard's (choose the stage, press Move), and works the same without this script.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var board = document.querySelector("[data-board-columns]");
    if (!board) { return; }
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest(".card[draggable]");
      if (!card) { return; }
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    });
    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      board.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
      dragged = null;
    });
    board.addEventListener("dragover", function (event) {
      var column = event.target.closest(".board-column");
      if (!dragged || !column || column.dataset.stage === "withdrawn") { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
    });
    board.addEventListener("dragleave", function (event) {
      var column = event.target.closest(".board-column");
      if (column && !column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
    });
    board.addEventListener("drop", function (event) {
      var column = event.target.closest(".board-column");
      if (!dragged || !column || column.dataset.stage === "withdrawn") { return; }
      event.preventDefault();
      var form = dragged.querySelector("form.card-move");
      var select = form.querySelector("select[name=stage]");
      if (select.value === column.dataset.stage) { return; }
      select.value = column.dataset.stage;
      form.requestSubmit();
    });
  });
})();
