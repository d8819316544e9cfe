"""Every interface string of the block, marked for extraction (English msgids; fr and en catalogues).

``UI`` goes to the browser with the initial state, translated, so the JavaScript (and a later
offline player) has no catalogue of its own. Placeholders are ``{name}``, filled after translation.
"""
from __future__ import annotations

from .i18n import N_

UI = {
    # Case content (server-rendered)
    "fictional": N_("Fictional municipality"),
    "profile": N_("Municipality profile"),
    "region": N_("Region"),
    "population": N_("Population"),
    "services": N_("Municipal services"),
    "context": N_("Context"),
    "stakeholders": N_("Stakeholders"),
    "interests": N_("Interests"),
    "exhibits": N_("Case exhibits"),
    "long_description": N_("Detailed description"),
    "download": N_("Download: {title}"),
    "sources": N_("Sources"),
    "further_reading": N_("Further reading"),
    "consulted": N_("consulted on {date}"),
    "steps_region": N_("Working through the case"),
    "noscript": N_("JavaScript is needed to work through the steps of this case."),
    # Progress and navigation
    "progress_exact": N_("Step {position} of {total}"),
    "progress_range": N_("Step {position} of {low} to {high}"),
    "progress_open": N_("Step {position} of at least {low}"),
    "continue": N_("Continue"),
    "saving": N_("Saving…"),
    "error_generic": N_("Something went wrong. Please try again."),
    # Decisions
    "choose_option": N_("Choose an option"),
    "confirm_decision": N_("Confirm my decision"),
    "choose_first": N_("Choose an option first."),
    "your_decision": N_("Your decision: {label}"),
    "consequence": N_("Consequence"),
    "feedback": N_("Feedback"),
    # Reflections
    "your_answer": N_("Your answer"),
    "length_rule": N_("Between {min} and {max} characters, leading and trailing spaces not counted."),
    "length_rule_max": N_("At most {max} characters, leading and trailing spaces not counted."),
    "char_count": N_("Characters: {count} of {max}"),
    "char_count_short": N_("Characters: {count} of {max} (at least {min} needed)"),
    "char_count_over": N_("Characters: {count} of {max}: too long"),
    "save_draft": N_("Save draft"),
    "draft_saved": N_("Draft saved."),
    "submit_answer": N_("Submit my answer"),
    "submitted_answer": N_("Your submitted answer"),
    "expert_analysis": N_("An expert’s analysis"),
    # Rubric self-evaluation
    "rate_intro": N_("Rate your own answer against each criterion."),
    "answer_recalled": N_("Your answer, as submitted"),
    "submit_rating": N_("Submit my self-evaluation"),
    "rate_all": N_("Rate every criterion first."),
    "points": N_("{points} pts"),
    "your_rating": N_("Your rating: {level}"),
    "expected": N_("What was expected"),
    # Debrief
    "your_path": N_("Your path through the case"),
    "key_lessons": N_("Key lessons"),
    "result": N_("Your result: {percent}"),
    "percent": N_("{value}%"),
    "completed": N_("Case completed."),
    # Reset
    "reset": N_("Start the case over"),
    "reset_confirm": N_("Your decisions and answers will be erased. Start over?"),
    "reset_yes": N_("Yes, start over"),
    "cancel": N_("Cancel"),
}

STAFF = {
    "title": N_("Summary for the teaching team (anonymous)"),
    "explain": N_("Counts of every decision and self-rating made by learners, all attempts included. "
                  "No personal information is kept."),
    "completions": N_("Cases completed: {count}"),
    "decisions_caption": N_("Decisions at “{step}”"),
    "ratings_caption": N_("Self-ratings for “{criterion}” ({step})"),
    "option": N_("Option"),
    "level": N_("Level"),
    "count": N_("Count"),
    "csv": N_("Download the summary (CSV)"),
}

STUDIO = {
    "label": N_("Case (YAML)"),
    "help": N_("The whole case as its author writes it in a module file (without type and id). "
               "Nothing is saved unless the case is valid."),
    "save": N_("Save"),
    "cancel": N_("Cancel"),
    "saved": N_("Case saved."),
    "invalid": N_("The case was not saved. Fix these problems:"),
    "yaml_error": N_("The YAML could not be read: {error}"),
    "not_mapping": N_("The YAML must describe a mapping (keys and values)."),
}

ERRORS = {
    "method_not_allowed": N_("Use POST for this request."),
    "invalid_json": N_("The request is not valid JSON."),
    "expected_object": N_("The request must be a JSON object."),
    "payload_too_large": N_("The request is too large."),
    "too_deep": N_("The request nests lists or objects too deeply."),
    "unknown_action": N_("Unknown action."),
    "missing_field": N_("Missing field: {field}."),
    "invalid_field": N_("The field {field} has the wrong type."),
    "unknown_step": N_("This step does not exist."),
    "unknown_option": N_("This option does not exist at this step."),
    "unknown_criterion": N_("Unknown criterion: {criterion}."),
    "unknown_level": N_("Unknown level for the criterion {criterion}."),
    "missing_rating": N_("Rate every criterion before submitting."),
    "step_not_current": N_("This step is not the one you are on."),
    "wrong_step_type": N_("This action does not apply to this step."),
    "already_decided": N_("A decision was already made at this step."),
    "already_submitted": N_("This answer was already submitted."),
    "already_rated": N_("This self-evaluation was already submitted."),
    "step_not_done": N_("Finish this step before continuing."),
    "too_short": N_("Your answer needs at least {min} characters."),
    "too_long": N_("Your answer may have at most {max} characters."),
    "completed": N_("The case is already completed."),
    "reset_not_allowed": N_("Starting over is not allowed for this case."),
    "staff_only": N_("Only the teaching team can do this."),
}
