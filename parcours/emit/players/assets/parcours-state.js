/* Learner progress of one module, kept small enough for SCORM 1.2's cmi.suspend_data.
 *
 * ParcoursState(text, pages, limit) reads a saved state (or starts one) and offers
 *   load(key) / save(key, value)   resume data of an activity (answers, a case's path)
 *   record(key, fraction, done)    an activity's result (fraction of its points, attempted or not)
 *   visit(page)                    a page seen
 *   serialize()                    JSON of at most `limit` characters
 * When the JSON is too long, resume data is dropped, largest first, and results are kept: a
 * learner may have to redo an answer, but never loses a score or a visited page.
 */
(function (global) {
  "use strict";

  function parse(text) {
    try {
      var data = JSON.parse(text || "");
      return data && data.v === 1 ? data : null;
    } catch (error) {
      return null;
    }
  }

  global.ParcoursState = function (text, pages, limit) {
    var data = parse(text) || {v: 1, l: [], d: {}, r: {}};
    return {
      data: data,
      load: function (key) { return Object.prototype.hasOwnProperty.call(data.d, key) ? data.d[key] : null; },
      save: function (key, value) { data.d[key] = value; },
      record: function (key, fraction, done) { data.r[key] = [fraction, done ? 1 : 0]; },
      result: function (key) { return data.r[key] || null; },
      visit: function (page) {
        var index = pages.indexOf(page);
        if (index >= 0 && data.l.indexOf(index) < 0) {
          data.l.push(index);
          data.l.sort(function (a, b) { return a - b; });
        }
      },
      visitedAll: function () { return data.l.length >= pages.length; },
      serialize: function () {
        var json = JSON.stringify(data);
        while (json.length > limit && Object.keys(data.d).length) {
          var largest = Object.keys(data.d).sort(function (a, b) {
            return JSON.stringify(data.d[b]).length - JSON.stringify(data.d[a]).length;
          })[0];
          delete data.d[largest];
          json = JSON.stringify(data);
        }
        return json;
      }
    };
  };
}(window));
