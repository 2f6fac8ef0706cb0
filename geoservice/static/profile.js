// The kelurahan profile form (/profil): reads the profile from the API, fills the inputs (from
// the previous period when this one is still empty, each field showing last period's value),
// saves a draft with a JSON merge patch and If-Match, submits it, and lets the walidata verify
// or reject it. Text from data only ever goes in as textContent or an input's value.
(function () {
  "use strict";
  var g = window.geoservice,
    config = g.config,
    words = config.words;
  var form = document.getElementById("profile-form");
  if (!form || !config.kelurahan) {
    g.ready("profile");
    return;
  }
  var path =
    "kelurahan/" +
    config.kelurahan +
    "/profile/" +
    config.form +
    "?period=" +
    encodeURIComponent(config.period);
  var message = document.getElementById("message");
  var statusLine = document.getElementById("status");
  var state = { etag: null, values: {}, status: null };

  function word(key, params) {
    var text = words["profile.page." + key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(params[name]));
    });
    return text;
  }

  function say(text, isError) {
    message.hidden = !text;
    message.textContent = text || "";
    message.className = "message" + (isError ? " error" : "");
  }

  function fieldNode(name) {
    return form.querySelector('.field[data-field="' + name + '"]');
  }

  function shown(value) {
    if (value === true) {
      return word("yes");
    }
    if (value === false) {
      return word("no");
    }
    if (Array.isArray(value)) {
      return value.join(", ");
    }
    return value === null || value === undefined ? "\u2013" : String(value);
  }

  function setValue(name, value) {
    var node = fieldNode(name);
    if (!node) {
      return;
    }
    var type = node.getAttribute("data-type");
    var chosen = Array.isArray(value) ? value : [];
    if (type === "select_multiple") {
      node.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = chosen.indexOf(box.value) >= 0;
      });
      return;
    }
    var input = node.querySelector("input, select");
    if (!input) {
      return;
    }
    if (type === "yes_no") {
      input.value = value === true ? "ya" : value === false ? "tidak" : "";
    } else {
      input.value = value === null || value === undefined ? "" : String(value);
    }
  }

  function readValue(name) {
    var node = fieldNode(name);
    var type = node.getAttribute("data-type");
    var chosen = [];
    if (type === "select_multiple") {
      node.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (box.checked) {
          chosen.push(box.value);
        }
      });
      return chosen.length ? chosen : null;
    }
    var text = node.querySelector("input, select").value.trim();
    if (!text) {
      return null;
    }
    if (type === "yes_no") {
      return text === "ya";
    }
    return text; // numbers as typed ("2,5", "1.250"): the server reads them
  }

  function typedFields() {
    return Object.keys(config.fields).filter(function (name) {
      return !config.fields[name].derived;
    });
  }

  function collect() {
    var values = {};
    typedFields().forEach(function (name) {
      values[name] = fieldNode(name).hidden ? null : readValue(name);
    });
    return values;
  }

  // show-if: the server's rule (services/profiles/expressions.py) on what is typed now. Every
  // value first, then in form order a field whose condition fails is hidden and its value
  // left out, so a field shown only by a hidden one is hidden too (as the server drops both)
  function applyRelevance() {
    var values = {};
    typedFields().forEach(function (name) {
      var value = normalize(name, readValue(name));
      if (value !== null) {
        values[name] = value;
      }
    });
    typedFields().forEach(function (name) {
      var tree = config.fields[name].relevant;
      var own = Object.hasOwn(values, name) ? values[name] : null;
      var hide = Boolean(tree) && !window.geoserviceRelevance.holds(tree, own, values);
      if (hide) {
        delete values[name];
      }
      fieldNode(name).hidden = hide;
    });
  }

  function clearErrors() {
    form.querySelectorAll(".field .error").forEach(function (node) {
      node.hidden = true;
      node.textContent = "";
    });
    form.querySelectorAll(".field.invalid").forEach(function (node) {
      node.classList.remove("invalid");
    });
  }

  function showProblem(result) {
    if (result.status === 412) {
      say(word("stale"), true);
      return;
    }
    var body = result.body || {};
    clearErrors();
    (body.errors || []).forEach(function (error) {
      var node = error.field && fieldNode(error.field);
      if (!node) {
        return;
      }
      node.classList.add("invalid");
      var slot = node.querySelector(".error");
      slot.textContent = error.message;
      slot.hidden = false;
    });
    say(g.problemText(result), true);
    var first = form.querySelector(".field.invalid input, .field.invalid select");
    if (first) {
      first.focus();
    }
  }

  function list(sectionId, items) {
    var section = document.getElementById(sectionId);
    var ul = section.querySelector("ul");
    while (ul.firstChild) {
      ul.removeChild(ul.firstChild);
    }
    items.forEach(function (item) {
      ul.appendChild(g.el("li", { text: item }));
    });
    section.hidden = items.length === 0;
  }

  function titleOf(name) {
    var label = fieldNode(name) && fieldNode(name).querySelector("label");
    return label ? label.firstChild.textContent.trim() : name;
  }

  function showStatus(body) {
    var status = body.status;
    var text = status
      ? word("status_" + status, { reason: body.rejection_reason || "" })
      : word("status_none");
    statusLine.textContent = word("status", { status: text });
    statusLine.setAttribute("data-status", status || "none");
  }

  function show(body, prefill) {
    state.etag = null;
    state.values = body.values || {};
    state.status = body.status;
    Object.keys(body.derived || {}).forEach(function (name) {
      var out = document.getElementById("f-" + name);
      if (out) {
        out.textContent = shown(body.derived[name].value);
      }
    });
    var previous = body.previous;
    var source = state.values;
    if (prefill && previous && Object.keys(state.values).length === 0) {
      source = previous.values;
      say(word("prefilled", { period: previous.period }));
    }
    typedFields().forEach(function (name) {
      setValue(name, source[name]);
      var node = fieldNode(name);
      var slot = node.querySelector(".previous");
      if (previous && previous.values[name] !== undefined) {
        slot.textContent = word("previous", {
          period: previous.period,
          value: shown(previous.values[name]),
        });
        slot.hidden = false;
      } else {
        slot.hidden = true;
      }
    });
    markChanges(previous);
    applyRelevance();
    list(
      "differences",
      (body.differences || []).map(function (d) {
        return d.message;
      })
    );
    list(
      "changes",
      (body.changes_since_verified || []).map(function (c) {
        return titleOf(c.field) + ": " + shown(c.old) + " \u2192 " + shown(c.new);
      })
    );
    showStatus(body);
    var editable = config.editable && body.editable !== false;
    form.querySelectorAll("input, select").forEach(function (input) {
      if (input.id !== "reason") {
        input.disabled = !editable;
      }
    });
    document.getElementById("save").disabled = !editable;
    document.getElementById("submit").disabled =
      !editable || ["draft", "rejected"].indexOf(body.status) < 0;
    var verify = document.getElementById("verify");
    if (verify) {
      verify.disabled = body.status !== "submitted";
      document.getElementById("reject").disabled = body.status !== "submitted";
    }
    if (!editable && !config.may_review) {
      say(word("read_only"));
    }
  }

  function markChanges(previous) {
    typedFields().forEach(function (name) {
      var before = previous ? previous.values[name] : undefined;
      var now = readValue(name);
      var changed =
        previous &&
        JSON.stringify(before === undefined ? null : before) !==
          JSON.stringify(normalize(name, now));
      fieldNode(name).classList.toggle("changed", Boolean(changed));
    });
  }

  function normalize(name, value) {
    var type = config.fields[name].type;
    var typed = String(value).replace(/\s/g, "");
    if (type === "integer" && /^-?\d{1,3}(\.\d{3})+$/.test(typed)) {
      typed = typed.split(".").join(""); // Indonesian digit grouping: 1.250, as the server reads it
    }
    var number = typed === "" ? NaN : Number(typed.replace(",", "."));
    if (value !== null && (type === "integer" || type === "decimal")) {
      return Number.isNaN(number) ? value : number;
    }
    return value;
  }

  var lastPrevious = null;

  function load(prefill) {
    return g
      .api("GET", path)
      .then(function (result) {
        if (result.status !== 200) {
          say(g.problemText(result), true);
          return;
        }
        lastPrevious = result.body.previous;
        show(result.body, prefill);
        state.etag = result.headers.get("ETag");
      })
      .catch(function () {
        say(word("network"), true);
      });
  }

  function busy(on) {
    form.querySelectorAll(".actions button").forEach(function (b) {
      b.setAttribute("aria-busy", on ? "true" : "false");
    });
  }

  function save() {
    clearErrors();
    busy(true);
    return g
      .api("PATCH", path, {
        body: { values: collect() },
        etag: state.etag,
        contentType: "application/merge-patch+json",
      })
      .then(function (result) {
        busy(false);
        if (result.status !== 200) {
          showProblem(result);
          return false;
        }
        show(result.body, false);
        state.etag = result.headers.get("ETag");
        say(word("saved"));
        return true;
      })
      .catch(function () {
        busy(false);
        say(word("network"), true);
        return false;
      });
  }

  function step(name, body, done) {
    clearErrors();
    return g
      .api("POST", path.replace("?", "/" + name + "?"), { body: body, etag: state.etag })
      .then(function (result) {
        if (result.status !== 200) {
          showProblem(result);
          return;
        }
        show(result.body, false);
        state.etag = result.headers.get("ETag");
        say(word(done));
      })
      .catch(function () {
        say(word("network"), true);
      });
  }

  form.addEventListener("input", function () {
    markChanges(lastPrevious);
    applyRelevance();
  });
  form.addEventListener("change", function () {
    markChanges(lastPrevious);
    applyRelevance();
  });
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("submit").addEventListener("click", function () {
    save().then(function (ok) {
      if (ok) {
        return step("submit", undefined, "sent");
      }
    });
  });
  var verify = document.getElementById("verify");
  if (verify) {
    verify.addEventListener("click", function () {
      step("verify", undefined, "verified");
    });
    document.getElementById("reject").addEventListener("click", function () {
      step("reject", { reason: document.getElementById("reason").value }, "rejected");
    });
  }
  load(true).then(function () {
    g.ready("profile");
  });
})();
