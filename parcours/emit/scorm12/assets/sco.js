/* The launch page of one module (one SCO): owns the SCORM 1.2 session and shows the module's
 * pages in a frame, so that moving between pages never ends the session.
 *
 * Finds the LMS's API object in the parent frames, then in the opener's (SCORM 1.2 RTE 3.3.6.1),
 * resumes at cmi.core.lesson_location with the progress saved in cmi.suspend_data, and after every
 * change writes the location, progress, score (0-100 over the module's graded activities, by
 * weight) and status: incomplete until every page is seen and every graded activity attempted,
 * then passed or failed against the mastery score, or completed when nothing is graded. Without
 * an LMS it still works and keeps nothing.
 */
(function (global) {
  "use strict";

  var SUSPEND_LIMIT = 4096;  // SCORM 1.2: cmi.suspend_data is a CMIString4096
  var config = JSON.parse(document.getElementById("pc-sco").textContent);
  var frame = document.getElementById("pc-frame");

  function search(win) {
    for (var depth = 0; win && depth < 10; depth += 1) {
      try {
        if (win.API) { return win.API; }
        if (win.parent === win) { return null; }
        win = win.parent;
      } catch (error) {  // a frame from another origin: stop climbing
        return null;
      }
    }
    return null;
  }

  function findAPI() {
    var api = global.parent !== global ? search(global.parent) : null;
    if (!api && global.opener) {
      try { api = search(global.opener); } catch (error) { api = null; }
    }
    return api;
  }

  var api = findAPI();
  var live = Boolean(api) && String(api.LMSInitialize("")) === "true";
  var finished = false;
  var state = global.ParcoursState(live ? api.LMSGetValue("cmi.suspend_data") : "", config.pages, SUSPEND_LIMIT);
  var location = live ? String(api.LMSGetValue("cmi.core.lesson_location") || "") : "";
  var current = config.pages.indexOf(location) >= 0 ? location : config.pages[0];

  function score() {
    var earned = 0;
    var possible = 0;
    Object.keys(config.items).forEach(function (key) {
      var result = state.result(key);
      possible += config.items[key];
      earned += result ? config.items[key] * result[0] : 0;
    });
    return possible ? earned / possible : null;
  }

  function status() {
    var attempted = Object.keys(config.items).every(function (key) {
      var result = state.result(key);
      return result && result[1];
    });
    if (!state.visitedAll() || !attempted) { return "incomplete"; }
    var fraction = score();
    if (fraction === null || config.mastery === null) { return "completed"; }
    return fraction >= config.mastery ? "passed" : "failed";
  }

  function commit() {
    if (!live || finished) { return; }
    var lessonStatus = status();
    var fraction = score();
    api.LMSSetValue("cmi.core.lesson_location", current);
    api.LMSSetValue("cmi.suspend_data", state.serialize());
    if (fraction !== null) {
      api.LMSSetValue("cmi.core.score.min", "0");
      api.LMSSetValue("cmi.core.score.max", "100");
      api.LMSSetValue("cmi.core.score.raw", String(Math.round(fraction * 10000) / 100));
    }
    api.LMSSetValue("cmi.core.lesson_status", lessonStatus);
    api.LMSSetValue("cmi.core.exit", lessonStatus === "incomplete" ? "suspend" : "");
    api.LMSCommit("");
  }

  function finish() {
    if (!live || finished) { return; }
    commit();
    finished = true;
    api.LMSFinish("");
  }

  global.ParcoursSco = {
    module: config.module,
    load: state.load,
    save: function (key, value) { state.save(key, value); commit(); },
    record: function (key, fraction, done) { state.record(key, fraction, done); commit(); },
    visit: function (page) { current = page; state.visit(page); commit(); },
    finish: finish
  };

  global.addEventListener("pagehide", finish);
  global.addEventListener("beforeunload", finish);
  frame.addEventListener("load", function () {
    try { frame.title = frame.contentDocument.title; } catch (error) { /* keep the module's title */ }
  });
  frame.src = "pages/" + current + ".html";
}(window));
