/* XBlock entry point: wires the quiz UI to the LMS backend. */
function SelfAssessmentQuizBlock(runtime, element, initArgs) {
  "use strict";
  var node = element.jquery ? element[0] : element;  // some runtimes pass a jQuery object
  var root = node.querySelector(".saq");
  var backend = window.ParcoursSelfAssessment.lmsBackend(runtime, node);
  window.ParcoursSelfAssessment.createQuizUI(root, initArgs, backend);
}
