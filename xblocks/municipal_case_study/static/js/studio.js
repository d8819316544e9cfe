/* Municipal case study: the Studio editor. The server validates the whole case and saves all of it or
 * nothing; this script only posts the YAML and lists the problems it gets back. */
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function notify(runtime, name, data) {
    if (runtime && typeof runtime.notify === "function") { runtime.notify(name, data); }
  }

  window.MunicipalCaseStudyStudio = function (runtime, element, args) {
    var node = element && element.jquery ? element[0] : element;
    var form = node.querySelector("#" + args.prefix);
    var source = form.querySelector("textarea");
    var status = form.querySelector("[role=status]");
    var url = runtime.handlerUrl(node, "studio_submit");

    function show(message, problems) {
      var list = document.createElement("ul");
      (problems || []).forEach(function (problem) {
        var item = document.createElement("li");
        item.textContent = problem.path + " — " + problem.message + (problem.hint ? " (" + problem.hint + ")" : "");
        list.appendChild(item);
      });
      var text = document.createElement("p");
      text.textContent = message;
      status.replaceChildren(text);
      if (list.children.length) { status.appendChild(list); }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      notify(runtime, "save", {state: "start"});
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify({source: source.value})
      }).then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            show(data.message);
            notify(runtime, "save", {state: "end"});
          } else {
            show(data.error.message, data.error.problems);
            source.setAttribute("aria-invalid", "true");
            notify(runtime, "error", {title: args.strings.invalid, message: data.error.message});
          }
        });
      }).catch(function () {
        show(args.strings.invalid);
      });
    });
    form.querySelector("[data-role=cancel]").addEventListener("click", function () {
      notify(runtime, "cancel", {});
    });
  };
})();
