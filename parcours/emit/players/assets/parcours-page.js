/* Every page of a package: finds where progress goes and marks the page as seen.
 *
 * Inside a SCORM package the page runs in the module's launch page, which owns the SCORM session
 * and offers window.ParcoursSco; anywhere else (a Common Cartridge page, a file opened directly)
 * progress stays in the browser's storage. Activities use window.Parcours.tracker either way:
 * load(key), save(key, value), record(key, fraction, done).
 */
(function (global) {
  "use strict";

  var page = JSON.parse(document.getElementById("pc-page").textContent);

  function launchPage() {
    try {
      var sco = global.parent !== global ? global.parent.ParcoursSco : null;
      return sco && sco.module === page.module ? sco : null;
    } catch (error) {  // a parent from another origin: not ours
      return null;
    }
  }

  function browserTracker() {
    var storageKey = "parcours:" + page["package"] + ":" + page.module;
    var storage = null;
    try {
      storage = global.localStorage;
    } catch (error) {
      storage = null;  // storage refused (privacy settings): progress lasts for this page only
    }
    var state = global.ParcoursState(storage && storage.getItem(storageKey), page.pages, 65536);
    function keep() {
      if (storage) {
        try { storage.setItem(storageKey, state.serialize()); } catch (error) { /* full: keep in memory */ }
      }
    }
    return {
      load: state.load,
      save: function (key, value) { state.save(key, value); keep(); },
      record: function (key, fraction, done) { state.record(key, fraction, done); keep(); },
      visit: function (id) { state.visit(id); keep(); }
    };
  }

  var tracker = launchPage() || browserTracker();
  tracker.visit(page.page);
  global.Parcours = {tracker: tracker, page: page};
}(window));
