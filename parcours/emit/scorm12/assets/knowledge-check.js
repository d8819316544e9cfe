/* Knowledge checks in a page, graded in the browser from the key the compiler wrote (see
 * knowledge_check.py for the rules). Attempts, answers and results go to the page's tracker, so a
 * learner who comes back finds their answers and feedback again.
 */
(function (global) {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function same(a, b) { return a.length === b.length && a.every(function (x, i) { return x === b[i]; }); }

  function number(text) {
    var cleaned = String(text).replace(/\s/g, "").replace(",", ".");
    return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned) ? parseFloat(cleaned) : NaN;
  }

  function tolerance(question, value) {
    var written = question.tolerance;
    if (!written) { return 1e-9 * Math.max(1, Math.abs(value)); }
    return /%$/.test(written) ? Math.abs(value) * parseFloat(written) / 100 : parseFloat(written);
  }

  /* {correct, feedback: [html]} for one question and the learner's value. */
  function grade(question, value) {
    var feedback = [];
    if (question.kind === "single" || question.kind === "dropdown" || question.kind === "multiple") {
      var chosen = [].concat(value).filter(function (v) { return v !== "" && v !== null; }).map(Number);
      question.choices.forEach(function (choice, index) {
        var picked = chosen.indexOf(index) >= 0;
        if (picked && choice.feedback_html) { feedback.push(choice.feedback_html); }
        if (!picked && choice.unselected_html) { feedback.push(choice.unselected_html); }
      });
      var correct = question.choices.map(function (c, i) { return c.correct ? i : -1; }).filter(function (i) { return i >= 0; });
      return {correct: same(chosen.sort(function (a, b) { return a - b; }), correct), feedback: feedback};
    }
    if (question.kind === "text") {
      var text = String(value).trim();
      var matches = function (answer) {
        return question.regexp ? new RegExp("^(?:" + answer.value + ")$", "i").test(text)
          : answer.value.trim().toLowerCase() === text.toLowerCase();
      };
      var hit = question.answers.filter(matches)[0];
      var wrong = hit ? null : question.wrong.filter(matches)[0];
      var chosenFeedback = (hit || wrong || {}).feedback_html;
      return {correct: Boolean(hit), feedback: chosenFeedback ? [chosenFeedback] : []};
    }
    var x = number(value);
    var found = question.answers.filter(function (answer) {
      if (answer.value === undefined) {
        return (answer.includeLow ? x >= answer.low : x > answer.low) && (answer.includeHigh ? x <= answer.high : x < answer.high);
      }
      return Math.abs(x - answer.value) <= tolerance(question, answer.value);
    })[0];
    return {correct: Boolean(found), feedback: found && found.feedback_html ? [found.feedback_html] : []};
  }

  function expected(question) {
    if (question.choices) {
      return question.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.text; }).join(" ; ");
    }
    var main = question.answers[0];
    return main.value === undefined ? main.low + " – " + main.high : (main.text || main.value);
  }

  function Check(form, tracker) {
    this.form = form;
    this.tracker = tracker;
    this.key = JSON.parse(form.querySelector(".pc-problem-key").textContent);
    this.strings = this.key.strings;
    this.blocks = Array.prototype.slice.call(form.querySelectorAll(".pc-question"));
    this.status = form.querySelector(".pc-status");
    this.attemptsText = form.querySelector(".pc-attempts");
    this.checkButton = form.querySelector(".pc-check");
    this.hintButton = form.querySelector(".pc-hint-button");
    this.hintsShown = 0;
    this.saved = tracker.load(this.key.key) || {a: 0, v: null};
    this.checkButton.textContent = this.strings.check;
    form.addEventListener("submit", this.onCheck.bind(this));
    if (this.hintButton) { this.hintButton.addEventListener("click", this.onHint.bind(this)); }
    this.updateHintButton();
    if (this.saved.v) {
      this.restore(this.saved.v);
      this.show(this.saved.v, false);
    }
    this.updateAttempts();
  }

  Check.prototype.controls = function (block) { return Array.prototype.slice.call(block.querySelectorAll("input, select")); };

  Check.prototype.value = function (block) {
    var controls = this.controls(block);
    var kind = block.getAttribute("data-kind");
    if (kind === "single" || kind === "multiple") {
      var checked = controls.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
      return kind === "single" ? (checked[0] || "") : checked;
    }
    return controls[0].value;
  };

  Check.prototype.restore = function (values) {
    this.blocks.forEach(function (block, index) {
      var value = [].concat(values[index]);
      this.controls(block).forEach(function (control) {
        if (control.type === "radio" || control.type === "checkbox") {
          control.checked = value.indexOf(control.value) >= 0;
        } else {
          control.value = value[0];
        }
      });
    }, this);
  };

  Check.prototype.exhausted = function () {
    return this.key.maxAttempts > 0 && this.saved.a >= this.key.maxAttempts;
  };

  Check.prototype.onCheck = function (event) {
    event.preventDefault();
    if (this.exhausted()) { return; }
    var values = this.blocks.map(this.value, this);
    var missing = values.map(function (v) { return v === "" || (Array.isArray(v) && !v.length); });
    if (missing.indexOf(true) >= 0) {
      this.say(this.strings.missing);
      this.controls(this.blocks[missing.indexOf(true)])[0].focus();
      return;
    }
    this.saved = {a: this.saved.a + 1, v: values};
    var right = this.show(values, true);
    this.tracker.save(this.key.key, this.saved);
    this.tracker.record(this.key.key, right / this.blocks.length, true);
    this.updateAttempts();
  };

  /* Feedback under each question and a summary; returns the number of right answers. */
  Check.prototype.show = function (values, announce) {
    var right = 0;
    var reveal = this.exhausted();
    this.blocks.forEach(function (block, index) {
      var question = this.key.questions[index];
      var outcome = grade(question, values[index]);
      right += outcome.correct ? 1 : 0;
      var box = block.querySelector(".pc-feedback");
      box.className = "pc-feedback " + (outcome.correct ? "pc-correct" : "pc-incorrect");
      var parts = ['<p class="pc-verdict"></p>'].concat(outcome.feedback);
      box.innerHTML = parts.join("");  // author HTML, sanitised by the compiler
      box.querySelector(".pc-verdict").textContent = outcome.correct ? this.strings.correct : this.strings.incorrect;
      if (reveal && !outcome.correct) {
        var answer = document.createElement("p");
        answer.textContent = format(this.strings.answer, {answer: expected(question)});
        box.appendChild(answer);
      }
    }, this);
    var total = this.blocks.length;
    var summary = right === total ? this.strings.correct
      : (right ? format(this.strings.partial, {right: right, total: total}) : this.strings.incorrect);
    if (announce) { this.say(summary); } else { this.status.textContent = summary; }
    var explanation = this.form.querySelector(".pc-explanation");
    if (explanation && (right === total || reveal)) { explanation.hidden = false; }
    return right;
  };

  Check.prototype.updateAttempts = function () {
    var max = this.key.maxAttempts;
    this.attemptsText.textContent = max ? format(this.strings.attempts, {used: this.saved.a, max: max})
      : format(this.strings.attemptsUnlimited, {used: this.saved.a});
    if (this.exhausted()) {
      this.checkButton.disabled = true;
      this.attemptsText.textContent += " " + this.strings.noAttempts;
    }
  };

  Check.prototype.onHint = function () {
    var hints = this.key.hints;
    var box = this.form.querySelector(".pc-hints");
    var item = document.createElement("div");
    item.className = "pc-note";
    item.innerHTML = hints[this.hintsShown];  // author HTML, sanitised by the compiler
    box.appendChild(item);
    this.hintsShown += 1;
    this.updateHintButton();
  };

  Check.prototype.updateHintButton = function () {
    if (!this.hintButton) { return; }
    var total = this.key.hints.length;
    this.hintButton.hidden = this.hintsShown >= total;
    this.hintButton.textContent = format(this.strings.hint, {n: this.hintsShown + 1, total: total});
  };

  Check.prototype.say = function (message) {
    // Emptied first so that a repeated message is announced again.
    this.status.textContent = "";
    global.setTimeout(function () { this.status.textContent = message; }.bind(this), 50);
  };

  Array.prototype.forEach.call(document.querySelectorAll("form.pc-problem"), function (form) {
    return new Check(form, global.Parcours.tracker);
  });
}(window));
