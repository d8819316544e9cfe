/* Studio editor: the block's data as YAML; saved only if the server finds no problem. */
function SelfAssessmentQuizStudio(runtime, element, initArgs) {
  "use strict";
  var node = element.jquery ? element[0] : element;
  var strings = initArgs.strings;
  var textarea = node.querySelector(".saq-studio-yaml");
  var errors = node.querySelector(".saq-studio-errors");

  function notify(name, data) {
    if (typeof runtime.notify === "function") {
      runtime.notify(name, data);
    }
  }

  function showProblems(problems, fallback) {
    errors.textContent = "";
    if (!problems || !problems.length) {
      errors.textContent = fallback;
      return;
    }
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var where = [problem.line ? strings.line.replace("{line}", problem.line) : "", problem.location]
        .filter(Boolean).join(", ");
      item.textContent = (where ? where + " : " : "") + problem.message + (problem.hint ? " — " + problem.hint : "");
      list.appendChild(item);
    });
    errors.appendChild(list);
  }

  node.querySelector(".save-button").addEventListener("click", function () {
    errors.textContent = strings.saving;
    notify("save", {state: "start", message: strings.saving});
    window.ParcoursSelfAssessment.postJson(runtime.handlerUrl(node, "studio_submit"), {yaml: textarea.value})
      .then(function (reply) {
        if (reply.ok) {
          errors.textContent = strings.saved;
          notify("save", {state: "end"});
          return;
        }
        var error = reply.data.error || {};
        showProblems(error.problems, error.message || strings.failed);
        notify("error", {title: error.message || strings.failed, message: ""});
      }, function () {
        showProblems(null, strings.failed);
      });
  });

  node.querySelector(".cancel-button").addEventListener("click", function () {
    notify("cancel", {});
  });
}
