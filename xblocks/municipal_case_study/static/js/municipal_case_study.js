/* Municipal case study: the learner interface.
 *
 * The interface draws the steps from a "learner view" (see progress.learner_view on the server) and
 * talks only to a backend object with one method, call(action, payload) -> Promise<{view}>. In the LMS
 * the backend posts to the block's learner_action handler; an offline player can pass its own.
 * Author HTML in the view is already sanitised by the server; learner text is only ever set as text.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  /* Length as the server measures it: code points, one kind of line break, no surrounding space. */
  function measure(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }

  /* el("p", {class: "x", text: "…"}, [children]): text is always set as text, never parsed. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = value; }
      else if (name === "sanitizedHtml") { node.innerHTML = value; }
      else { node.setAttribute(name, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function createLmsBackend(runtime, element) {
    var url = runtime.handlerUrl(element, "learner_action");
    return {
      call: function (action, payload) {
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
          body: JSON.stringify(Object.assign({action: action}, payload || {}))
        }).then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            if (!response.ok) {
              var error = new Error((data.error && data.error.message) || response.statusText);
              error.code = data.error && data.error.code;
              throw error;
            }
            return data;
          });
        });
      }
    };
  }

  function CaseStudy(root, options) {
    this.root = root;
    this.app = root.querySelector(".mcs-app");
    this.backend = options.backend;
    this.strings = options.strings;
    this.prefix = options.prefix;
    this.view = options.view;
    this.countTimer = null;
  }

  CaseStudy.prototype.id = function (name) { return this.prefix + "-" + name; };
  CaseStudy.prototype.t = function (key, values) { return format(this.strings[key] || key, values || {}); };

  /* Run an action; on success redraw and move focus to what the action revealed. */
  CaseStudy.prototype.perform = function (action, payload, focusName) {
    var self = this;
    self.setBusy(true);
    self.showError("");
    return self.backend.call(action, payload).then(function (reply) {
      self.view = reply.view;
      self.setBusy(false);
      if (focusName !== null) { self.render(focusName || "step-heading"); }
      return reply;
    }, function (error) {
      self.setBusy(false);
      self.showError(error.message || self.t("error_generic"));
      throw error;
    });
  };

  CaseStudy.prototype.setBusy = function (busy) {
    this.app.setAttribute("aria-busy", busy ? "true" : "false");
    Array.prototype.forEach.call(this.app.querySelectorAll("button"), function (button) {
      button.disabled = busy;
    });
  };

  CaseStudy.prototype.showError = function (message) {
    var region = this.app.querySelector("[data-role=error]");
    if (region) { region.textContent = message; }
  };

  CaseStudy.prototype.render = function (focusName) {
    var view = this.view;
    var step = view.current;
    var section = el("div", {"class": "mcs-step mcs-step-" + step.type}, [
      el("h4", {id: this.id("step-heading"), tabindex: "-1", text: step.title})
    ]);
    if (step.prompt_html) { section.appendChild(el("div", {"class": "mcs-md", sanitizedHtml: step.prompt_html})); }
    var draw = {decision: this.decision, reflection: this.reflection, rubric: this.rubric, debrief: this.debrief}[step.type];
    draw.call(this, section, step);
    if (step.done && view.status !== "completed") {
      section.appendChild(el("p", {}, [this.button(this.t("continue"), "mcs-button mcs-continue", function () {
        this.perform("advance", {step_id: step.id}).catch(function () {});
      })]));
    }
    section.appendChild(el("div", {"class": "mcs-error", role: "alert", "data-role": "error"}));
    this.app.replaceChildren(this.progress(), section);
    if (view.can_reset) { this.app.appendChild(this.resetArea()); }
    var target = focusName && this.app.querySelector("#" + this.id(focusName));
    if (target) { target.focus(); }
  };

  CaseStudy.prototype.button = function (label, cssClass, onClick) {
    var self = this;
    var node = el("button", {type: "button", "class": cssClass, text: label});
    node.addEventListener("click", function () { onClick.call(self); });
    return node;
  };

  CaseStudy.prototype.progress = function () {
    var p = this.view.progress;
    var text;
    if (p.high === p.low) { text = this.t("progress_exact", {position: p.position, total: p.low}); }
    else if (p.high === null) { text = this.t("progress_open", {position: p.position, low: p.low}); }
    else { text = this.t("progress_range", {position: p.position, low: p.low, high: p.high}); }
    return el("p", {"class": "mcs-progress", id: this.id("progress"), text: text});
  };

  CaseStudy.prototype.decision = function (section, step) {
    var self = this;
    if (step.chosen) {
      section.appendChild(el("p", {"class": "mcs-chosen"}, [
        el("strong", {text: this.t("your_decision", {label: step.chosen.label})})
      ]));
      section.appendChild(el("h5", {id: this.id("consequence"), tabindex: "-1", text: this.t("consequence")}));
      section.appendChild(el("div", {"class": "mcs-md mcs-reveal", sanitizedHtml: step.chosen.consequence_html}));
      if (step.chosen.feedback_html) {
        section.appendChild(el("h5", {text: this.t("feedback")}));
        section.appendChild(el("div", {"class": "mcs-md mcs-reveal", sanitizedHtml: step.chosen.feedback_html}));
      }
      return;
    }
    var name = this.id("option");
    var choices = step.options.map(function (option, index) {
      var inputId = self.id("option-" + index);
      return el("div", {"class": "mcs-choice"}, [
        el("input", {type: "radio", id: inputId, name: name, value: option.id}),
        el("label", {"for": inputId, text: option.label})
      ]);
    });
    var form = el("form", {"class": "mcs-form", novalidate: true}, [
      el("fieldset", {}, [el("legend", {text: this.t("choose_option")})].concat(choices)),
      el("button", {type: "submit", "class": "mcs-button", text: this.t("confirm_decision")})
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var picked = form.querySelector("input[name='" + name + "']:checked");
      if (!picked) { self.showError(self.t("choose_first")); return; }
      self.perform("choose", {step_id: step.id, option_id: picked.value}, "consequence").catch(function () {});
    });
    section.appendChild(form);
  };

  CaseStudy.prototype.reflection = function (section, step) {
    var self = this;
    if (step.answer !== undefined) {
      section.appendChild(el("h5", {text: this.t("submitted_answer")}));
      section.appendChild(el("blockquote", {"class": "mcs-learner-text", text: step.answer}));
      section.appendChild(el("h5", {id: this.id("expert"), tabindex: "-1", text: this.t("expert_analysis")}));
      section.appendChild(el("div", {"class": "mcs-md mcs-reveal", sanitizedHtml: step.expert_analysis_html}));
      return;
    }
    var rule = step.min_length > 0
      ? this.t("length_rule", {min: step.min_length, max: step.max_length})
      : this.t("length_rule_max", {max: step.max_length});
    var textarea = el("textarea", {
      id: this.id("answer"), rows: "8", "class": "mcs-textarea",
      "aria-describedby": this.id("rule") + " " + this.id("count")
    });
    textarea.value = step.draft || "";
    var count = el("p", {id: this.id("count"), "class": "mcs-count"});
    var announcer = el("p", {"class": "mcs-sr-only", "aria-live": "polite", "data-role": "count-live"});
    var status = el("p", {"class": "mcs-status", role: "status", "data-role": "draft-status"});
    var form = el("form", {"class": "mcs-form", novalidate: true}, [
      el("label", {"for": this.id("answer"), text: this.t("your_answer")}),
      el("p", {id: this.id("rule"), "class": "mcs-help", text: rule}),
      textarea, count, announcer,
      el("div", {"class": "mcs-actions"}, [
        this.button(this.t("save_draft"), "mcs-button mcs-secondary", function () {
          status.textContent = this.t("saving");
          this.perform("save_draft", {step_id: step.id, text: textarea.value}, null).then(function () {
            status.textContent = self.t("draft_saved");
          }, function () { status.textContent = ""; });
        }),
        el("button", {type: "submit", "class": "mcs-button", text: this.t("submit_answer")})
      ]),
      status
    ]);
    var update = function (announce) {
      var length = measure(textarea.value);
      var key = length > step.max_length ? "char_count_over"
        : (length < step.min_length ? "char_count_short" : "char_count");
      var text = self.t(key, {count: length, max: step.max_length, min: step.min_length});
      count.textContent = text;
      textarea.setAttribute("aria-invalid", length > step.max_length ? "true" : "false");
      if (announce) { announcer.textContent = text; }
    };
    textarea.addEventListener("input", function () {
      update(false);
      // Announce the count once typing pauses, not at every keystroke.
      clearTimeout(self.countTimer);
      self.countTimer = setTimeout(function () { update(true); }, 1200);
    });
    update(false);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.perform("submit", {step_id: step.id, text: textarea.value}, "expert").catch(function () {});
    });
    section.appendChild(form);
  };

  CaseStudy.prototype.rubric = function (section, step) {
    var self = this;
    if (step.reflection_answer !== undefined) {
      section.appendChild(el("h5", {text: this.t("answer_recalled")}));
      section.appendChild(el("blockquote", {"class": "mcs-learner-text", text: step.reflection_answer}));
    }
    if (step.ratings) {
      step.criteria.forEach(function (criterion, index) {
        var level = criterion.levels[step.ratings[criterion.id]];
        section.appendChild(el("h5", {id: self.id("criterion-" + index), tabindex: "-1", text: criterion.label}));
        section.appendChild(el("p", {text: self.t("your_rating", {level: level.label})}));
        section.appendChild(el("p", {"class": "mcs-label", text: self.t("expected")}));
        section.appendChild(el("div", {"class": "mcs-md mcs-reveal", sanitizedHtml: step.expected_html[criterion.id]}));
      });
      return;
    }
    var fieldsets = step.criteria.map(function (criterion, index) {
      var name = self.id("criterion-" + index + "-level");
      var describedBy = criterion.description ? self.id("criterion-" + index + "-description") : null;
      var legend = el("legend", {text: criterion.label});
      var choices = criterion.levels.map(function (level, levelIndex) {
        var inputId = self.id("criterion-" + index + "-level-" + levelIndex);
        var label = level.label + " (" + self.t("points", {points: level.points}) + ")";
        return el("div", {"class": "mcs-choice"}, [
          el("input", {type: "radio", id: inputId, name: name, value: String(levelIndex), "data-criterion": criterion.id}),
          el("label", {"for": inputId, text: level.description ? label + " — " + level.description : label})
        ]);
      });
      var description = criterion.description
        ? el("p", {id: describedBy, "class": "mcs-help", text: criterion.description}) : null;
      return el("fieldset", {"aria-describedby": describedBy}, [legend, description].concat(choices));
    });
    var form = el("form", {"class": "mcs-form", novalidate: true},
      [el("p", {text: this.t("rate_intro")})].concat(fieldsets, [
        el("button", {type: "submit", "class": "mcs-button", text: this.t("submit_rating")})
      ]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var ratings = {};
      Array.prototype.forEach.call(form.querySelectorAll("input:checked"), function (input) {
        ratings[input.getAttribute("data-criterion")] = parseInt(input.value, 10);
      });
      if (Object.keys(ratings).length < step.criteria.length) { self.showError(self.t("rate_all")); return; }
      self.perform("rate", {step_id: step.id, ratings: ratings}, "criterion-0").catch(function () {});
    });
    section.appendChild(form);
  };

  CaseStudy.prototype.debrief = function (section, step) {
    var self = this;
    if (step.body_html) { section.appendChild(el("div", {"class": "mcs-md", sanitizedHtml: step.body_html})); }
    section.appendChild(el("h5", {text: this.t("your_path")}));
    section.appendChild(el("ol", {"class": "mcs-path"}, this.view.path.map(function (entry) {
      var item = el("li", {text: entry.title});
      if (entry.decision) {
        item.appendChild(el("br"));
        item.appendChild(el("span", {text: self.t("your_decision", {label: entry.decision})}));
      }
      return item;
    })));
    section.appendChild(el("h5", {text: this.t("key_lessons")}));
    section.appendChild(el("ul", {"class": "mcs-lessons"}, step.key_lessons_html.map(function (html) {
      return el("li", {sanitizedHtml: html});
    })));
    var outcome = [el("strong", {text: this.t("completed")})];
    if (typeof this.view.score === "number") {
      outcome.push(document.createTextNode(" " + this.t("result", {percent: this.t("percent", {value: Math.round(this.view.score * 100)})})));
    }
    section.appendChild(el("p", {"class": "mcs-outcome"}, outcome));
  };

  CaseStudy.prototype.resetArea = function () {
    var area = el("div", {"class": "mcs-reset"});
    var start = this.button(this.t("reset"), "mcs-button mcs-secondary", function () {
      var question = el("p", {id: this.id("reset-question"), tabindex: "-1", text: this.t("reset_confirm")});
      var confirm = el("div", {"class": "mcs-actions", role: "group", "aria-labelledby": this.id("reset-question")}, [
        this.button(this.t("reset_yes"), "mcs-button", function () {
          this.perform("reset", {}, "step-heading").catch(function () {});
        }),
        this.button(this.t("cancel"), "mcs-button mcs-secondary", function () {
          area.replaceChildren(start);
          start.focus();
        })
      ]);
      area.replaceChildren(question, confirm);
      question.focus();
    });
    area.appendChild(start);
    return area;
  };

  /* XBlock runtime entry point (initialize_js). */
  window.MunicipalCaseStudyBlock = function (runtime, element, args) {
    var node = element && element.jquery ? element[0] : element;
    var root = node.querySelector("#" + args.prefix) || node;
    var ui = new CaseStudy(root, {
      backend: createLmsBackend(runtime, node),
      strings: args.strings,
      prefix: args.prefix,
      view: JSON.parse(root.querySelector(".mcs-app").getAttribute("data-view"))
    });
    ui.render(null);
    return ui;
  };

  /* For other players (an offline package) that bring their own backend. */
  window.MunicipalCaseStudy = {CaseStudy: CaseStudy, createLmsBackend: createLmsBackend, measure: measure};
})();
