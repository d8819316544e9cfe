/* The quiz's behaviour in the page, independent of where answers are sent.
 *
 * createQuizUI(root, config, backend)
 *   root     the block's .saq element (server-rendered form)
 *   config   {prefix, language, strings, dimensions, state} (see block.py student_view)
 *   backend  {submit(answers), logEvent(action, details)} -> Promise of {ok, status, data}
 *
 * Every id is built from config.prefix, so two quizzes on one page never collide.
 */
(function (global) {
  "use strict";

  var namespace = global.ParcoursSelfAssessment = global.ParcoursSelfAssessment || {};
  var SVG_NS = "http://www.w3.org/2000/svg";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // Author HTML arrives sanitised by the server (nh3); learner text is only ever set as text.
  function trustedHtml(tag, className, html) {
    var node = element(tag, {"class": className});
    node.innerHTML = html;
    return node;
  }

  function QuizUI(root, config, backend) {
    this.root = root;
    this.config = config;
    this.strings = config.strings;
    this.backend = backend;
    this.form = root.querySelector(".saq-form");
    this.status = root.querySelector(".saq-status");
    this.submitButton = root.querySelector(".saq-submit");
    this.retryButton = root.querySelector(".saq-retry");
    this.resultSection = root.querySelector(".saq-result");
    this.resultBody = root.querySelector(".saq-result-body");
    this.attemptsText = root.querySelector(".saq-attempts");
    this.busy = false;

    this.form.addEventListener("submit", this.onSubmit.bind(this));
    this.retryButton.addEventListener("click", this.onRetry.bind(this));
    this.resultSection.addEventListener("click", this.onResultClick.bind(this));
    this.applyState(config.state, {focus: false});
  }

  QuizUI.prototype.questions = function () {
    return Array.prototype.slice.call(this.form.querySelectorAll(".saq-question"));
  };

  QuizUI.prototype.inputs = function (fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input"));
  };

  QuizUI.prototype.collectAnswers = function () {
    var answers = {};
    var missing = [];
    this.questions().forEach(function (fieldset) {
      var type = fieldset.getAttribute("data-type");
      var checked = this.inputs(fieldset).filter(function (input) { return input.checked; });
      var values = checked.map(function (input) { return input.value; });
      if (!values.length) {
        missing.push(fieldset);
        return;
      }
      var id = fieldset.getAttribute("data-question-id");
      if (type === "multiple") {
        answers[id] = values;
      } else if (type === "likert") {
        answers[id] = parseInt(values[0], 10);
      } else {
        answers[id] = values[0];
      }
    }, this);
    return {answers: answers, missing: missing};
  };

  QuizUI.prototype.onSubmit = function (event) {
    event.preventDefault();
    if (this.busy) {
      return;
    }
    var collected = this.collectAnswers();
    this.showMissing(collected.missing);
    if (collected.missing.length) {
      this.say(format(this.strings.missingSummary, {count: collected.missing.length}));
      this.inputs(collected.missing[0])[0].focus();
      return;
    }
    this.setBusy(true);
    this.say(this.strings.submitting);
    this.backend.submit(collected.answers).then(function (reply) {
      this.setBusy(false);
      if (reply.ok) {
        this.applyState(reply.data, {focus: true});
        this.say(this.strings.submitted);
      } else {
        this.say((reply.data.error && reply.data.error.message) || this.strings.networkError);
      }
    }.bind(this), function () {
      this.setBusy(false);
      this.say(this.strings.networkError);
    }.bind(this));
  };

  QuizUI.prototype.onRetry = function () {
    this.backend.logEvent("retry_started");
    this.clearFeedback();
    this.setLocked(false);
    this.resultSection.hidden = true;
    this.retryButton.hidden = true;
    this.submitButton.hidden = false;
    this.say(this.strings.retryReady);
    this.inputs(this.questions()[0])[0].focus();
  };

  QuizUI.prototype.onResultClick = function (event) {
    var link = event.target.closest ? event.target.closest("a[data-recommendation]") : null;
    if (link) {
      this.backend.logEvent("recommendation_opened", {
        dimension: link.getAttribute("data-dimension"),
        index: parseInt(link.getAttribute("data-recommendation"), 10)
      });
    }
  };

  QuizUI.prototype.say = function (message) {
    // Emptying first makes screen readers announce a repeated message again.
    this.status.textContent = "";
    global.setTimeout(function () { this.status.textContent = message; }.bind(this), 50);
  };

  QuizUI.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.submitButton.disabled = busy;
    this.form.setAttribute("aria-busy", busy ? "true" : "false");
  };

  QuizUI.prototype.setLocked = function (locked) {
    this.questions().forEach(function (fieldset) {
      this.inputs(fieldset).forEach(function (input) { input.disabled = locked; });
    }, this);
  };

  QuizUI.prototype.showMissing = function (missing) {
    this.questions().forEach(function (fieldset) {
      var note = fieldset.querySelector(".saq-missing");
      var isMissing = missing.indexOf(fieldset) !== -1;
      note.hidden = !isMissing;
      note.textContent = isMissing ? this.strings.missing : "";
      fieldset.classList.toggle("saq-is-missing", isMissing);
      this.inputs(fieldset).forEach(function (input) {
        if (isMissing) {
          input.setAttribute("aria-describedby", note.id);
        } else {
          input.removeAttribute("aria-describedby");
        }
      });
    }, this);
  };

  QuizUI.prototype.applyState = function (state, options) {
    this.attemptsText.textContent = state.attempts_text;
    var submission = state.submission;
    if (!submission) {
      this.submitButton.hidden = !state.can_submit;
      if (!state.can_submit) {
        this.setLocked(true);
      }
      return;
    }
    this.restoreAnswers(submission.answers);
    this.setLocked(true);
    this.showMissing([]);
    this.showQuestionFeedback(submission.result.questions);
    this.showResult(submission.result);
    this.submitButton.hidden = true;
    this.retryButton.hidden = !state.can_submit;
    if (!state.can_submit) {
      this.resultBody.appendChild(element("p", {"class": "saq-no-attempts"}, this.strings.noAttemptsLeft));
    }
    if (options.focus) {
      this.resultSection.focus();
    }
  };

  QuizUI.prototype.restoreAnswers = function (answers) {
    this.questions().forEach(function (fieldset) {
      var answer = answers[fieldset.getAttribute("data-question-id")];
      var chosen = [].concat(answer).map(String);
      this.inputs(fieldset).forEach(function (input) {
        input.checked = chosen.indexOf(input.value) !== -1;
      });
    }, this);
  };

  QuizUI.prototype.clearFeedback = function () {
    this.questions().forEach(function (fieldset) {
      var box = fieldset.querySelector(".saq-question-feedback");
      box.hidden = true;
      box.textContent = "";
      fieldset.classList.remove("saq-is-correct", "saq-is-incorrect", "saq-is-partial");
      Array.prototype.forEach.call(fieldset.querySelectorAll(".saq-option-mark"), function (mark) {
        mark.textContent = "";
      });
    });
  };

  QuizUI.prototype.showQuestionFeedback = function (feedbackById) {
    this.clearFeedback();
    this.questions().forEach(function (fieldset) {
      var feedback = feedbackById[fieldset.getAttribute("data-question-id")];
      if (!feedback) {
        return;
      }
      var box = fieldset.querySelector(".saq-question-feedback");
      var verdict = this.verdict(fieldset, feedback);
      box.appendChild(element("p", {"class": "saq-verdict"}, verdict));
      this.markOptions(fieldset);
      Object.keys(feedback.choice_feedback || {}).forEach(function (choiceId) {
        var html = feedback.choice_feedback[choiceId];
        if (html) {
          box.appendChild(trustedHtml("div", "saq-choice-feedback", html));
        }
      });
      if (feedback.correct_choices) {
        box.appendChild(element("p", {"class": "saq-correct-answer"},
          format(this.strings.correctAnswer, {answers: this.optionLabels(fieldset, feedback.correct_choices)})));
      }
      if (feedback.explanation_html) {
        box.appendChild(element("p", {"class": "saq-explanation-title"}, this.strings.explanation));
        box.appendChild(trustedHtml("div", "saq-explanation", feedback.explanation_html));
      }
      box.hidden = false;
    }, this);
  };

  QuizUI.prototype.verdict = function (fieldset, feedback) {
    if (feedback.correct === null) {
      return this.strings.selfRating;
    }
    var state = feedback.correct ? "correct" : (feedback.partial ? "partial" : "incorrect");
    fieldset.classList.add("saq-is-" + state);
    // The symbol doubles the colour; the words carry the meaning.
    return {correct: "✓ ", partial: "◐ ", incorrect: "✗ "}[state] + this.strings[state];
  };

  QuizUI.prototype.markOptions = function (fieldset) {
    Array.prototype.forEach.call(fieldset.querySelectorAll(".saq-option"), function (option) {
      var mark = option.querySelector(".saq-option-mark");
      mark.textContent = option.querySelector("input").checked ? " — " + this.strings.yourAnswer : "";
    }, this);
  };

  QuizUI.prototype.optionLabels = function (fieldset, values) {
    return Array.prototype.filter.call(fieldset.querySelectorAll(".saq-option"), function (option) {
      return values.indexOf(option.getAttribute("data-value")) !== -1;
    }).map(function (option) { return option.querySelector("label").textContent; }).join(" ; ");
  };

  QuizUI.prototype.showResult = function (result) {
    var body = this.resultBody;
    body.textContent = "";
    if (result.score.graded) {
      var language = this.config.language;
      var score = {};
      ["earned", "possible", "percent"].forEach(function (key) {
        score[key] = Number(result.score[key]).toLocaleString(language);  // 2,5 in French
      });
      body.appendChild(element("p", {"class": "saq-score"}, format(this.strings.score, score)));
    }
    body.appendChild(this.chart(result.dimensions));
    body.appendChild(this.table(result.dimensions));
    result.dimensions.forEach(function (dimension) {
      if (dimension.band) {
        body.appendChild(this.bandCard(dimension));
      }
    }, this);
    this.resultSection.hidden = false;
  };

  QuizUI.prototype.chart = function (dimensions) {
    var prefix = this.config.prefix;
    var rowHeight = 46;
    var left = 8;
    var barWidth = 480;
    var height = dimensions.length * rowHeight + 28;
    var svg = document.createElementNS(SVG_NS, "svg");
    var titleId = prefix + "-chart-title";
    var descId = prefix + "-chart-desc";
    svg.setAttribute("class", "saq-chart");
    svg.setAttribute("viewBox", "0 0 600 " + height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", titleId + " " + descId);
    svg.appendChild(this.svgNode("title", {id: titleId}, this.strings.chartTitle));
    svg.appendChild(this.svgNode("desc", {id: descId}, dimensions.map(function (dimension) {
      return dimension.label + " : " + format(this.strings.percent, {value: dimension.score});
    }, this).join(" ; ")));
    [0, 50, 100].forEach(function (tick) {
      var x = left + barWidth * tick / 100;
      svg.appendChild(this.svgNode("line", {x1: x, x2: x, y1: 4, y2: height - 20, "class": "saq-chart-grid"}));
      svg.appendChild(this.svgNode("text", {x: x, y: height - 4, "class": "saq-chart-tick",
        "text-anchor": tick === 0 ? "start" : (tick === 100 ? "end" : "middle")},
        format(this.strings.percent, {value: tick})));
    }, this);
    dimensions.forEach(function (dimension, index) {
      var top = index * rowHeight + 4;
      var width = Math.max(2, barWidth * dimension.score / 100);
      svg.appendChild(this.svgNode("text", {x: left, y: top + 14, "class": "saq-chart-label"}, dimension.label));
      svg.appendChild(this.svgNode("rect", {x: left, y: top + 20, width: barWidth, height: 16, "class": "saq-chart-track"}));
      svg.appendChild(this.svgNode("rect", {x: left, y: top + 20, width: width, height: 16, "class": "saq-chart-bar"}));
      svg.appendChild(this.svgNode("text", {x: left + barWidth + 8, y: top + 33, "class": "saq-chart-value"},
        format(this.strings.percent, {value: dimension.score})));
    }, this);
    return svg;
  };

  QuizUI.prototype.svgNode = function (tag, attributes, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  };

  QuizUI.prototype.table = function (dimensions) {
    var strings = this.strings;
    var table = element("table", {"class": "saq-table saq-profile-table"});
    table.appendChild(element("caption", {}, strings.tableCaption));
    var head = element("tr");
    [strings.dimension, strings.scoreColumn, strings.band].forEach(function (label) {
      head.appendChild(element("th", {scope: "col"}, label));
    });
    table.appendChild(element("thead")).appendChild(head);
    var body = table.appendChild(element("tbody"));
    dimensions.forEach(function (dimension) {
      var row = body.appendChild(element("tr"));
      row.appendChild(element("th", {scope: "row"}, dimension.label));
      row.appendChild(element("td", {}, String(dimension.score)));
      row.appendChild(element("td", {}, dimension.band ? dimension.band.label : "—"));
    });
    return table;
  };

  QuizUI.prototype.bandCard = function (dimension) {
    var strings = this.strings;
    var headingId = this.config.prefix + "-band-" + dimension.id;
    var card = element("section", {"class": "saq-band", "aria-labelledby": headingId});
    card.appendChild(element("h4", {id: headingId, "class": "saq-band-title"},
      dimension.label + " : " + dimension.band.label));
    if (dimension.band.feedback_html) {
      card.appendChild(trustedHtml("div", "saq-band-feedback", dimension.band.feedback_html));
    }
    var items = dimension.band.recommendations;
    if (items.length) {
      card.appendChild(element("p", {"class": "saq-recommendations-title"}, strings.recommendations));
      var list = card.appendChild(element("ul", {"class": "saq-recommendations"}));
      items.forEach(function (item, index) {
        list.appendChild(this.recommendation(dimension, item, index));
      }, this);
    }
    return card;
  };

  QuizUI.prototype.recommendation = function (dimension, item, index) {
    var strings = this.strings;
    var entry = element("li");
    if (!item.href) {
      entry.textContent = item.title + " " + strings.moduleNotLinked;
      return entry;
    }
    var link = entry.appendChild(element("a", {
      href: item.href, "data-dimension": dimension.id, "data-recommendation": String(index)
    }, item.title));
    if (item.kind === "url") {
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
      link.appendChild(element("span", {"class": "saq-visually-hidden"}, " " + strings.external));
    } else {
      entry.appendChild(document.createTextNode(" (" + strings.module + ")"));
    }
    return entry;
  };

  namespace.createQuizUI = function (root, config, backend) {
    return new QuizUI(root, config, backend);
  };
}(window));
