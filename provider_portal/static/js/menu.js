// Below 600 px the header's tools and the main menu fold behind the Menu button, so a phone's
// first screen shows the page. Loaded from the head so the fold is there before the page is
// drawn; without this script (or on a wide screen) everything stays open.
"use strict";
document.documentElement.classList.add("js-menu");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-button");
  if (!button) {
    return;
  }
  var header = button.closest(".site-header");
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
