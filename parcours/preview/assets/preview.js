/* The local preview's page script: reloads the page as soon as the server has rebuilt the course.
 * The server counts its builds; this script asks for the count a few times a second and reloads
 * when it differs from the build the page was made from.
 */
(function () {
  "use strict";

  var built = Number(document.currentScript.getAttribute("data-generation"));

  function check() {
    fetch("/_preview/generation", {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.generation !== built) {
          window.location.reload();
        } else {
          window.setTimeout(check, 300);
        }
      })
      .catch(function () { window.setTimeout(check, 1000); });  // server restarting: try again
  }

  window.setTimeout(check, 300);
})();
