/* The LMS side of the quiz: JSON requests to the block's handlers.
 *
 * A backend is {submit(answers), logEvent(action, details)}, each returning a Promise of
 * {ok, status, data}. The UI (quiz_ui.js) knows nothing else about the server, so an
 * offline player can give it a local backend instead.
 */
(function (global) {
  "use strict";

  var namespace = global.ParcoursSelfAssessment = global.ParcoursSelfAssessment || {};

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  namespace.postJson = function (url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
        "X-Requested-With": "XMLHttpRequest"
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(
        function (data) { return {ok: response.ok, status: response.status, data: data}; },
        function () { return {ok: false, status: response.status, data: {}}; }
      );
    });
  };

  namespace.lmsBackend = function (runtime, element) {
    return {
      submit: function (answers) {
        return namespace.postJson(runtime.handlerUrl(element, "submit"), {answers: answers});
      },
      logEvent: function (action, details) {
        var body = Object.assign({action: action}, details || {});
        return namespace.postJson(runtime.handlerUrl(element, "log_event"), body);
      }
    };
  };
}(window));
