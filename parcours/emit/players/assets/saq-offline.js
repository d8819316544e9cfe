/* The self-assessment quiz without a server: a local backend for quiz_ui.js (the block's own
 * interface). Scoring follows the block's scoring.py and the result its feedback.py, from the
 * answer key the compiler rendered with the block's own code; submissions go to the tracker.
 */
(function (global) {
  "use strict";

  var namespace = global.ParcoursSelfAssessment;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function round(value, digits) {
    var factor = Math.pow(10, digits);
    return Math.round(value * factor) / factor;
  }

  /* scoring.score: per-question fractions, dimension percentages and the grade. */
  function score(quiz, answers) {
    var questions = {};
    var earned = 0;
    var possible = 0;
    var knowledge = 0;
    quiz.questions.forEach(function (question) {
      var answer = answers[question.id];
      var fraction;
      if (question.type === "likert") {
        var values = question.values;
        fraction = (answer - values[0]) / (values[values.length - 1] - values[0]);
        questions[question.id] = {earned: 0, possible: 0, fraction: fraction, correct: null};
        return;
      }
      if (question.type === "true_false") {
        fraction = (answer === "true") === question.answer ? 1 : 0;
      } else if (question.type === "single") {
        fraction = question.correct.indexOf(answer) >= 0 ? 1 : 0;
      } else {
        var hits = answer.filter(function (id) { return question.correct.indexOf(id) >= 0; }).length;
        fraction = Math.max(0, (hits - (answer.length - hits)) / question.correct.length);
      }
      knowledge += 1;
      earned += question.points * fraction;
      possible += question.points;
      questions[question.id] = {earned: question.points * fraction, possible: question.points,
                                fraction: fraction, correct: fraction === 1};
    });
    if (!knowledge) {
      earned = possible = 1;
    }
    var dimensions = {};
    quiz.dimensions.forEach(function (dimension) {
      var members = quiz.questions.filter(function (q) { return q.dimension === dimension.id; });
      var total = members.reduce(function (sum, q) { return sum + q.points; }, 0);
      if (!total) {
        return;
      }
      var mean = members.reduce(function (sum, q) { return sum + q.points * questions[q.id].fraction; }, 0) / total;
      var percent = Math.floor(round(mean * 100, 6) + 0.5);
      var band = null;
      dimension.bands.forEach(function (candidate, index) {
        if (band === null && candidate.min <= percent && percent <= candidate.max) { band = index; }
      });
      dimensions[dimension.id] = {score: percent, band: band};
    });
    return {questions: questions, dimensions: dimensions, earned: earned, possible: possible, graded: knowledge > 0};
  }

  /* feedback.result_payload */
  function payload(quiz, answers, result, reveal) {
    var questions = {};
    quiz.questions.forEach(function (question) {
      var outcome = result.questions[question.id];
      var answer = answers[question.id];
      var feedback = {correct: outcome.correct, partial: outcome.correct === false && outcome.fraction > 0,
                      explanation_html: question.explanation_html};
      if (question.type !== "likert") {
        var chosen = [].concat(answer);
        feedback.choice_feedback = {};
        chosen.forEach(function (id) {
          if (question.feedback_html[id]) { feedback.choice_feedback[id] = question.feedback_html[id]; }
        });
        if (reveal) {
          feedback.correct_choices = question.type === "true_false" ? [question.answer ? "true" : "false"]
            : question.correct.slice();
        }
      }
      questions[question.id] = feedback;
    });
    return {
      score: {graded: result.graded, earned: round(result.earned, 4), possible: round(result.possible, 4),
              percent: result.possible ? Math.round(100 * result.earned / result.possible) : 0},
      questions: questions,
      dimensions: quiz.dimensions.filter(function (d) { return result.dimensions[d.id]; }).map(function (d) {
        var outcome = result.dimensions[d.id];
        var band = outcome.band === null ? null : d.bands[outcome.band];
        return {id: d.id, label: d.label, score: outcome.score, band: band};
      })
    };
  }

  namespace.offlineBackend = function (config, tracker) {
    var saved = tracker.load(config.key) || {attempts: 0, answers: null};

    function state() {
      var canSubmit = config.maxAttempts === 0 || saved.attempts < config.maxAttempts;
      var text = config.maxAttempts === 0
        ? format(config.strings.attemptsUnlimited, {attempts: saved.attempts})
        : format(config.strings.attemptsLimited, {attempts: saved.attempts, max: config.maxAttempts});
      var current = {attempts: saved.attempts, max_attempts: config.maxAttempts, attempts_text: text,
                     can_submit: canSubmit, submission: null};
      if (saved.answers) {
        current.submission = {answers: saved.answers,
                              result: payload(config.quiz, saved.answers, score(config.quiz, saved.answers), !canSubmit)};
      }
      return current;
    }

    return {
      state: state,
      submit: function (answers) {
        if (config.maxAttempts !== 0 && saved.attempts >= config.maxAttempts) {
          return Promise.resolve({ok: false, status: 409, data: {error: {message: config.strings.noAttemptsLeft}}});
        }
        var result = score(config.quiz, answers);
        saved = {attempts: saved.attempts + 1, answers: answers};
        tracker.save(config.key, saved);
        tracker.record(config.key, result.possible ? result.earned / result.possible : 0, true);
        return Promise.resolve({ok: true, status: 200, data: state()});
      },
      logEvent: function () { return Promise.resolve({ok: true, status: 200, data: {ok: true}}); }
    };
  };

  namespace.score = score;
  namespace.resultPayload = payload;

  Array.prototype.forEach.call(document.querySelectorAll(".pc-saq-config"), function (script) {
    var config = JSON.parse(script.textContent);
    var backend = namespace.offlineBackend(config, global.Parcours.tracker);
    namespace.createQuizUI(document.getElementById(config.prefix),
      {prefix: config.prefix, strings: config.strings, dimensions: config.dimensions, state: backend.state()},
      backend);
  });
}(window));
