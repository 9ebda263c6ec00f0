/*
 * Autosave for compétence statements (narratives, self-positioning comments).
 *
 * A <form data-autosave> is saved while the candidate types: one second after the last key,
 * and at least every two seconds of continuous typing. Check boxes and radio buttons save at
 * once. The server answers JSON (see dossiers/views/statements.py):
 *   200 saved     → the new version is kept for the next save, "Enregistré à 14:32";
 *   409 conflict  → another tab saved first: both texts are shown, the candidate chooses;
 *   401 login     → the session expired: the text stays here, we retry until they are back;
 *   403 refused   → the dossier is no longer editable: said, no retry;
 *   429 throttled → too many saves (a per-user limit, USER_THROTTLE_RATES): the server's
 *                   message, the text stays here and is sent again a few seconds later;
 *   other/network → an error with a retry button, and retries every few seconds.
 * Nothing is kept in browser storage: the text lives in the page until the server has it.
 * French messages come from data-msg-* attributes rendered by the template.
 * After each save, "dossier:saved" is dispatched on <body>: the page's counters listen for it.
 *
 * Other forms name the fields that save as they change in data-autosave-fields (space-separated;
 * "level-*" means every field whose name starts with "level-"), e.g. a jury member's scoring
 * (juries/views/scoring.py). A submit button marked data-autosave-submit posts the form as
 * usual (e.g. "Valider ma notation") instead of saving in place.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 1000;
  var MAX_WAIT_MS = 2000;
  var RETRY_MS = 5000;
  var TEXT_FIELDS = ["narrative", "self_comment", "self_assessment"];
  var LINK_FIELDS = ["experiences", "proofs", "links"];

  function csrfToken(form) {
    // Read at each save: logging in again (in another tab) rotates the token.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fieldMatcher(spec) {
    if (!spec) {
      return function (name) {
        return TEXT_FIELDS.indexOf(name) !== -1;
      };
    }
    var names = spec.split(/\s+/).filter(Boolean);
    return function (name) {
      return names.some(function (pattern) {
        var star = pattern.charAt(pattern.length - 1) === "*";
        return star ? name.indexOf(pattern.slice(0, -1)) === 0 : name === pattern;
      });
    };
  }

  function Autosaver(form) {
    this.form = form;
    this.isText = fieldMatcher(form.getAttribute("data-autosave-fields"));
    this.url = form.getAttribute("data-autosave-url") || form.action;
    this.status = form.querySelector("[data-autosave-status]");
    this.panel = form.querySelector("[data-autosave-panel]");
    this.version = form.querySelector("input[name=version]");
    this.dirtyText = false;
    this.dirtyLinks = false;
    this.inFlight = false;
    this.again = false;
    this.paused = false;
    this.timer = null;
    this.retryTimer = null;
    this.firstChangeAt = null;
    this.conflict = null;
    this.bind();
    this.updateCounters();
  }

  Autosaver.prototype.msg = function (name) {
    return (this.status && this.status.getAttribute("data-msg-" + name)) || "";
  };

  Autosaver.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.type === "checkbox" || target.type === "radio") {
        return; // handled on "change"
      }
      if (self.isText(target.name)) {
        self.dirtyText = true;
        self.updateCounters();
        self.schedule();
      }
    });
    this.form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox" && LINK_FIELDS.indexOf(target.name) !== -1) {
        self.dirtyLinks = true;
        self.save();
      } else if (target.type === "radio" && self.isText(target.name)) {
        self.dirtyText = true;
        self.save();
      }
    });
    this.form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-autosave-choice], [data-autosave-retry], [data-autosave-close]");
      if (!button || !self.form.contains(button)) {
        return;
      }
      event.preventDefault();
      if (button.hasAttribute("data-autosave-retry")) {
        self.save();
      } else if (button.hasAttribute("data-autosave-close")) {
        self.clearPanel();
      } else {
        self.choose(button.getAttribute("data-autosave-choice"));
      }
    });
    this.form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("data-autosave-submit")) {
        self.dirtyText = false; // the post carries everything: nothing left to save in place
        self.dirtyLinks = false;
        self.submitting = true;
        return;
      }
      // With the script on, "Enregistrer" saves now, in place, with the version this page holds
      // (a plain post racing an autosave in flight would look like a conflict).
      event.preventDefault();
      self.dirtyText = true;
      self.dirtyLinks = self.dirtyLinks || !!self.form.querySelector("input[name=links]");
      self.save();
    });
    window.addEventListener("beforeunload", function (event) {
      if (self.hasPending() && !self.submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    var retryNow = function () {
      if (self.retryTimer && !self.paused) {
        self.save();
      }
    };
    window.addEventListener("focus", retryNow);
    window.addEventListener("online", retryNow);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        retryNow();
      } else if (self.hasPending() && !self.paused) {
        self.save(); // leaving the tab: send what is typed now
      }
    });
  };

  Autosaver.prototype.hasPending = function () {
    return this.dirtyText || this.dirtyLinks || this.inFlight || this.paused;
  };

  Autosaver.prototype.updateCounters = function () {
    var counters = this.form.querySelectorAll("[data-char-count]");
    for (var i = 0; i < counters.length; i++) {
      var field = this.form.querySelector("[name=" + counters[i].getAttribute("data-char-count") + "]");
      if (field) {
        // Count as the server does: line breaks as one character, surrounding spaces ignored.
        counters[i].textContent = field.value.replace(/\r\n/g, "\n").trim().length;
      }
    }
  };

  Autosaver.prototype.show = function (text, kind, withRetry) {
    if (!this.status) {
      return;
    }
    this.status.textContent = text;
    this.status.className = "autosave-status small " + (kind === "error" ? "text-danger" : "text-muted");
    if (withRetry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger ms-2";
      button.setAttribute("data-autosave-retry", "");
      button.textContent = this.msg("retry");
      this.status.appendChild(button);
    }
  };

  Autosaver.prototype.schedule = function () {
    var now = Date.now();
    if (this.firstChangeAt === null) {
      this.firstChangeAt = now;
    }
    clearTimeout(this.timer);
    var wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstChangeAt + MAX_WAIT_MS - now));
    var self = this;
    this.timer = setTimeout(function () {
      self.save();
    }, wait);
    if (!this.paused && !this.retryTimer) {
      this.show(this.msg("pending"), "info");
    }
  };

  Autosaver.prototype.retryLater = function () {
    var self = this;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(function () {
      self.save();
    }, RETRY_MS);
  };

  Autosaver.prototype.clearPanel = function () {
    if (this.panel) {
      this.panel.innerHTML = "";
    }
  };

  Autosaver.prototype.save = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.paused) {
      return;
    }
    if (this.inFlight) {
      this.again = true;
      return;
    }
    if (!this.dirtyText && !this.dirtyLinks) {
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    var data = new FormData(this.form);
    var token = csrfToken(this.form);
    data.set("csrfmiddlewaretoken", token); // Django reads this before the header: keep it fresh
    if (!this.dirtyLinks) {
      // Only what changed: a stale tab must not undo links made elsewhere.
      LINK_FIELDS.forEach(function (name) {
        data.delete(name);
      });
    }
    var sentText = this.dirtyText;
    var sentLinks = this.dirtyLinks;
    this.dirtyText = false;
    this.dirtyLinks = false;
    this.firstChangeAt = null;
    this.inFlight = true;
    this.show(this.msg("saving"), "info");
    var response = null;
    fetch(this.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "error",
      headers: { "X-Autosave": "1", "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (r) {
        response = r;
        return r.json().catch(function () {
          return null;
        });
      })
      .catch(function () {
        return null;
      })
      .then(function (body) {
        self.inFlight = false;
        self.handle(response, body, sentText, sentLinks);
        if (self.again) {
          self.again = false;
          if (!self.paused && (self.dirtyText || self.dirtyLinks)) {
            self.save();
          }
        }
      });
  };

  Autosaver.prototype.handle = function (response, body, sentText, sentLinks) {
    var status = response ? response.status : 0;
    if (status && status !== 401) {
      // The server saw us: the sliding session restarted (static/js/session.js counts it down).
      document.dispatchEvent(new CustomEvent("vae:server-contact"));
    }
    if (status === 200 && body && body.status === "saved") {
      this.version.value = body.version;
      this.show(body.message, "ok");
      this.clearPanel();
      var badge = this.form.querySelector("[data-autosave-state]");
      if (badge && body.state_label) {
        badge.textContent = body.state_label;
      }
      // The page's counters and « Et maintenant ? » ask for their new values (htmx, see
      // templates/dossiers/_live_progress.html).
      document.body.dispatchEvent(new CustomEvent("dossier:saved"));
      return;
    }
    // Not saved: what was sent is still to save.
    this.dirtyText = this.dirtyText || sentText;
    this.dirtyLinks = this.dirtyLinks || sentLinks;
    if (status === 409 && body && body.status === "conflict") {
      this.paused = true;
      this.conflict = body;
      if (this.panel) {
        this.panel.innerHTML = body.html;
      }
      this.show(this.msg("conflict"), "error");
    } else if (status === 401 && body && body.status === "login_required") {
      if (this.panel) {
        this.panel.innerHTML = body.html;
      }
      this.show(this.msg("login"), "error");
      this.retryLater();
    } else if (status === 403 && body && body.status === "refused") {
      this.paused = true;
      this.show(body.message, "error");
    } else if (status === 429 && body && body.message) {
      this.show(body.message, "error");
      this.retryLater();
    } else if (status === 400 && body && body.message) {
      this.show(body.message, "error", true);
    } else {
      this.show(this.msg("error"), "error", true);
      this.retryLater();
    }
  };

  Autosaver.prototype.choose = function (choice) {
    var conflict = this.conflict;
    if (!conflict) {
      return;
    }
    this.version.value = conflict.version;
    this.paused = false;
    this.conflict = null;
    if (choice === "mine") {
      this.clearPanel();
      this.dirtyText = true;
      this.save();
      return;
    }
    // "theirs": the saved text goes into the fields; the candidate's text stays visible in
    // the panel (to copy from) until they close it.
    var self = this;
    // What the candidate typed, up to this very moment, stays readable in the panel.
    var kept = this.panel ? this.panel.querySelectorAll("[data-autosave-mine]") : [];
    for (var k = 0; k < kept.length; k++) {
      var source = this.form.querySelector("textarea[name=" + kept[k].getAttribute("data-autosave-mine") + "]");
      if (source) {
        kept[k].value = source.value;
      }
    }
    Object.keys(conflict.theirs).forEach(function (name) {
      var fields = self.form.querySelectorAll("[name=" + name + "]");
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].type === "radio") {
          fields[i].checked = fields[i].value === conflict.theirs[name];
        } else {
          fields[i].value = conflict.theirs[name];
        }
      }
    });
    this.dirtyText = false;
    this.updateCounters();
    var choices = this.panel && this.panel.querySelector("[data-autosave-choices]");
    var after = this.panel && this.panel.querySelector("[data-autosave-after-theirs]");
    if (choices) {
      choices.hidden = true;
    }
    if (after) {
      after.hidden = false;
    }
    this.show(this.msg("theirs"), "ok");
    if (this.dirtyLinks) {
      this.save();
    }
  };

  function init() {
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i++) {
      new Autosaver(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
