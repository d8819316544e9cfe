/* The municipal case study without a server: a local backend for municipal_case_study.js (the
 * block's own interface) that plays the block's progress.py and scoring.py in the browser. The
 * compiler hands it every step with its earned texts already rendered, each option's successor
 * and each step's distances to a debrief. The learner's way through the case goes to the tracker.
 */
(function (global) {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function Engine(config, tracker) {
    this.data = config.case;
    this.errors = config.errors;
    this.tracker = tracker;
    this.key = config.key;
    this.byId = {};
    this.data.steps.forEach(function (step) {
      if (!this.byId[step["public"].id]) { this.byId[step["public"].id] = step; }
    }, this);
    this.state = this.usable(tracker.load(this.key)) || this.fresh();
  }

  Engine.prototype.fresh = function () {
    return {path: [{step: this.data.first, option: null}], drafts: {}, answers: {}, ratings: {}};
  };

  /* A saved state that still fits the case (progress.normalize keeps what it can; here a state
   * from another version of the case simply starts over). */
  Engine.prototype.usable = function (saved) {
    var byId = this.byId;
    return saved && saved.path && saved.path.length && saved.path.every(function (visit) { return byId[visit.step]; })
      ? saved : null;
  };

  Engine.prototype.fail = function (code, params) {
    var error = new Error(format(this.errors[code] || code, params || {}));
    error.code = code;
    throw error;
  };

  Engine.prototype.current = function () { return this.state.path[this.state.path.length - 1]; };
  Engine.prototype.type = function (visit) { return this.byId[visit.step]["public"].type; };
  Engine.prototype.completed = function () { return this.type(this.current()) === "debrief"; };

  Engine.prototype.isDone = function (visit) {
    var kind = this.type(visit);
    if (kind === "decision") { return visit.option !== null; }
    if (kind === "reflection") { return Object.prototype.hasOwnProperty.call(this.state.answers, visit.step); }
    if (kind === "rubric") { return Object.prototype.hasOwnProperty.call(this.state.ratings, visit.step); }
    return false;
  };

  Engine.prototype.successor = function (visit) {
    var step = this.byId[visit.step];
    return step.options ? step.options[visit.option].next : step.next;
  };

  /* scoring.fraction */
  Engine.prototype.score = function () {
    var mode = this.data.scoring;
    if (mode === "none") { return null; }
    var earned = 0;
    var possible = 0;
    var byId = this.byId;
    if (mode === "decisions") {
      var counted = {};
      this.state.path.forEach(function (visit) {
        var step = byId[visit.step];
        if (!step.options || visit.option === null || counted[visit.step]) { return; }
        counted[visit.step] = true;
        var points = Object.keys(step.options).map(function (id) { return step.options[id].points; });
        earned += step.options[visit.option].points;
        possible += Math.max.apply(null, points);
      });
    } else if (mode === "rubric") {
      var ratings = this.state.ratings;
      Object.keys(ratings).forEach(function (stepId) {
        var levels = byId[stepId].levels;
        Object.keys(levels).forEach(function (criterion) {
          earned += levels[criterion][ratings[stepId][criterion]];
          possible += Math.max.apply(null, levels[criterion]);
        });
      });
    }
    if (possible) { return Math.round(earned / possible * 10000) / 10000; }
    return this.completed() ? 1 : 0;
  };

  /* progress.apply: one learner action, refused without any change. */
  Engine.prototype.apply = function (action, payload) {
    var state = this.state;
    if (action === "reset") {
      if (!this.data.allowReset) { this.fail("reset_not_allowed"); }
      this.state = this.fresh();
      return;
    }
    if (this.completed()) { this.fail("completed"); }
    var visit = this.current();
    if (!this.byId[payload.step_id]) { this.fail("unknown_step"); }
    if (payload.step_id !== visit.step) { this.fail("step_not_current"); }
    var step = this.byId[visit.step];
    var kind = step["public"].type;
    var expect = {choose: "decision", save_draft: "reflection", submit: "reflection", rate: "rubric"}[action];
    if (action !== "advance" && !expect) { this.fail("unknown_action"); }
    if (expect && expect !== kind) { this.fail("wrong_step_type"); }
    if (action === "choose") {
      if (!step.options[payload.option_id]) { this.fail("unknown_option"); }
      if (visit.option !== null) { this.fail("already_decided"); }
      visit.option = payload.option_id;
    } else if (action === "save_draft" || action === "submit") {
      if (Object.prototype.hasOwnProperty.call(state.answers, visit.step)) { this.fail("already_submitted"); }
      var text = String(payload.text).replace(/\r\n?/g, "\n").trim();
      var length = Array.from(text).length;
      var max = step["public"].max_length;
      if (length > max) { this.fail("too_long", {max: max}); }
      if (action === "submit") {
        var min = Math.max(step["public"].min_length, 1);
        if (length < min) { this.fail("too_short", {min: min}); }
        delete state.drafts[visit.step];
        state.answers[visit.step] = text;
      } else {
        state.drafts[visit.step] = text;
      }
    } else if (action === "rate") {
      if (Object.prototype.hasOwnProperty.call(state.ratings, visit.step)) { this.fail("already_rated"); }
      var given = payload.ratings || {};
      Object.keys(given).forEach(function (criterion) {
        if (!step.levels[criterion]) { this.fail("unknown_criterion", {criterion: criterion}); }
        if (!(given[criterion] >= 0 && given[criterion] < step.levels[criterion].length)) {
          this.fail("unknown_level", {criterion: criterion});
        }
      }, this);
      if (Object.keys(given).length !== Object.keys(step.levels).length) { this.fail("missing_rating"); }
      state.ratings[visit.step] = given;
    } else {
      if (!this.isDone(visit)) { this.fail("step_not_done"); }
      state.path.push({step: this.successor(visit), option: null});
    }
  };

  /* progress.learner_view */
  Engine.prototype.view = function () {
    var state = this.state;
    var visit = this.current();
    var step = this.byId[visit.step];
    var current = copy(step["public"]);
    current.done = this.isDone(visit);
    if (current.type === "decision" && visit.option !== null) {
      var option = step.options[visit.option];
      current.chosen = {id: visit.option, label: option.label, consequence_html: option.consequence_html};
      if (option.feedback_html !== null) { current.chosen.feedback_html = option.feedback_html; }
    } else if (current.type === "reflection") {
      if (Object.prototype.hasOwnProperty.call(state.answers, visit.step)) {
        current.answer = state.answers[visit.step];
        current.expert_analysis_html = step.expert_analysis_html;
      } else {
        current.draft = state.drafts[visit.step] || "";
      }
    } else if (current.type === "rubric") {
      if (Object.prototype.hasOwnProperty.call(state.answers, step.reflection)) {
        current.reflection_answer = state.answers[step.reflection];
      }
      if (state.ratings[visit.step]) {
        current.ratings = state.ratings[visit.step];
        current.expected_html = step.expected_html;
      }
    } else if (current.type === "debrief") {
      current.key_lessons_html = step.key_lessons_html;
      if (step.body_html) { current.body_html = step.body_html; }
    }
    var position = state.path.length;
    var most = this.data.most[visit.step];
    var byId = this.byId;
    var completed = this.completed();
    var view = {
      status: completed ? "completed" : "in_progress",
      progress: {position: position, low: position + this.data.fewest[visit.step],
                 high: most === null ? null : position + most},
      path: state.path.map(function (entry) {
        var item = {step_id: entry.step, title: byId[entry.step]["public"].title, type: byId[entry.step]["public"].type};
        if (entry.option !== null) { item.decision = byId[entry.step].options[entry.option].label; }
        return item;
      }),
      current: current,
      can_reset: this.data.allowReset && (position > 1 || current.done || Object.keys(state.drafts).length > 0)
    };
    if (completed && this.data.scoring !== "none") { view.score = this.score(); }
    return view;
  };

  /* The backend interface of municipal_case_study.js: call(action, payload) -> Promise<{view}>. */
  Engine.prototype.call = function (action, payload) {
    var before = copy(this.state);
    try {
      this.apply(action, payload || {});
    } catch (error) {
      this.state = before;
      return Promise.reject(error);
    }
    this.tracker.save(this.key, this.state);
    if (this.data.scoring !== "none") { this.tracker.record(this.key, this.score() || 0, this.completed()); }
    return Promise.resolve({view: this.view()});
  };

  global.ParcoursCaseStudy = {Engine: Engine};

  Array.prototype.forEach.call(document.querySelectorAll(".pc-mcs-config"), function (script) {
    var config = JSON.parse(script.textContent);
    var engine = new Engine(config, global.Parcours.tracker);
    var ui = new global.MunicipalCaseStudy.CaseStudy(document.getElementById(config.prefix), {
      backend: engine, strings: config.strings, prefix: config.prefix, view: engine.view()
    });
    ui.render(null);
  });
}(window));
