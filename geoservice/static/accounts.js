// The walidata's account management: each form and button of /accounts sends one request to
// the /users API (with the session's CSRF token); on success the page reloads with a note of
// what was done, on failure the API's problem is shown and nothing changes.
(function () {
  "use strict";
  var g = window.geoservice,
    label = g.label;
  var FLASH = "geoservice.accounts.done";
  var message = document.getElementById("message");

  function say(text, isError) {
    message.hidden = false;
    message.textContent = text;
    message.className = "message" + (isError ? " error" : "");
  }

  var done = window.sessionStorage.getItem(FLASH);
  if (done) {
    window.sessionStorage.removeItem(FLASH);
    say(done);
  }

  function send(method, path, body, note, form) {
    var buttons = form ? form.querySelectorAll("button") : [];
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = true;
    });
    g.api(method, path, { body: body })
      .then(function (result) {
        if (result.status >= 300) {
          Array.prototype.forEach.call(buttons, function (b) {
            b.disabled = false;
          });
          say(g.problemText(result), true);
          return;
        }
        window.sessionStorage.setItem(FLASH, note);
        window.location.reload();
      })
      .catch(function () {
        Array.prototype.forEach.call(buttons, function (b) {
          b.disabled = false;
        });
        say(label("network_error"), true);
      });
  }

  function onSubmit(form, handler) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      handler(new FormData(form));
    });
  }

  // -- choosing a kelurahan by name ------------------------------------------------------------
  // The input offers the /search matches as a datalist ("Bandar Lor · Kec. Mojoroto, Kota
  // Kediri · 35.71.01.1001"); what is typed or chosen resolves to one code, or to a sentence
  // saying why not. A Kemendagri code typed as it is still works.
  var CODE = /(\d{2}\.\d{2}\.\d{2}\.\d{4})\s*$/;
  var pickers = 0;

  function describe(area) {
    return (
      area.nama +
      " \u00b7 " +
      [area.kecamatan, area.kabkota].filter(Boolean).join(", ") +
      " \u00b7 " +
      area.kode
    );
  }

  function picker(input) {
    var list = g.el("datalist", { id: "kelurahan-options-" + ++pickers });
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || CODE.test(text)) {
        return;
      }
      timer = window.setTimeout(function () {
        g.api("GET", "search?limit=10&q=" + encodeURIComponent(text)).then(function (result) {
          if (result.status !== 200 || input.value.trim() !== text) {
            return;
          }
          list.replaceChildren();
          result.body.kelurahan.forEach(function (area) {
            list.appendChild(g.el("option", { value: describe(area) }));
          });
        });
      }, 250);
    });
    // resolves to {kode, label} or rejects with the sentence to show
    return function resolve() {
      var text = input.value.trim();
      var code = CODE.exec(text);
      if (code) {
        return Promise.resolve({ kode: code[1], label: text });
      }
      return g.api("GET", "search?limit=10&q=" + encodeURIComponent(text)).then(function (result) {
        var found = result.status === 200 ? result.body.kelurahan : [];
        var exact = found.filter(function (a) {
          return a.nama.toLowerCase() === text.toLowerCase();
        });
        var only = exact.length === 1 ? exact[0] : found.length === 1 ? found[0] : null;
        if (only) {
          return { kode: only.kode, label: only.nama + " (" + only.kode + ")" };
        }
        throw new Error(
          label(found.length ? "account_pick_ambiguous" : "account_pick_unknown", { text: text })
        );
      });
    };
  }

  Array.prototype.forEach.call(document.querySelectorAll("tr[data-username]"), function (row) {
    var user = row.dataset.username,
      path = "users/" + encodeURIComponent(user);
    Array.prototype.forEach.call(row.querySelectorAll("button.revoke"), function (button) {
      var code = button.dataset.code;
      button.addEventListener("click", function () {
        send(
          "DELETE",
          path + "/kelurahan/" + encodeURIComponent(code),
          undefined,
          label("account_done_revoke", { user: user, code: code }),
          row
        );
      });
    });
    var grant = row.querySelector("form.grant"),
      resolve;
    if (grant) {
      resolve = picker(grant.querySelector("input[name=code]"));
      onSubmit(grant, function () {
        resolve().then(
          function (area) {
            send(
              "PUT",
              path + "/kelurahan/" + encodeURIComponent(area.kode),
              undefined,
              label("account_done_grant", { user: user, code: area.label }),
              grant
            );
          },
          function (error) {
            say(error.message, true);
          }
        );
      });
    }
    var toggle = row.querySelector("button.toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var disable = toggle.dataset.disable === "true";
        send(
          "PATCH",
          path,
          { disabled: disable },
          label(disable ? "account_done_disable" : "account_done_enable", { user: user }),
          row
        );
      });
    }
    var password = row.querySelector("form.password");
    if (password) {
      onSubmit(password, function (data) {
        send(
          "PATCH",
          path,
          { password: String(data.get("password")) },
          label("account_done_password", { user: user }),
          password
        );
      });
    }
  });

  var create = document.getElementById("create");
  var choose = picker(create.querySelector("input[name=kelurahan]"));
  var chosen = document.getElementById("chosen-kelurahan");
  var codes = [];

  function addChosen() {
    var input = create.querySelector("input[name=kelurahan]");
    if (!input.value.trim()) {
      return Promise.resolve();
    }
    return choose().then(function (area) {
      input.value = "";
      if (codes.indexOf(area.kode) >= 0) {
        return;
      }
      codes.push(area.kode);
      var item = g.el("li", { "data-code": area.kode }, [area.label + " "]);
      item.appendChild(
        g.el("button", {
          type: "button",
          class: "linklike",
          text: label("account_remove"),
          onclick: function () {
            codes.splice(codes.indexOf(area.kode), 1);
            item.remove();
          },
        })
      );
      chosen.appendChild(item);
    });
  }
  document.getElementById("add-kelurahan").addEventListener("click", function () {
    addChosen().catch(function (error) {
      say(error.message, true);
    });
  });

  onSubmit(create, function (data) {
    var user = String(data.get("username")).trim();
    addChosen().then(
      function () {
        createAccount(data, user);
      },
      function (error) {
        say(error.message, true);
      }
    );
  });

  function createAccount(data, user) {
    send(
      "POST",
      "users",
      {
        username: user,
        full_name: String(data.get("full_name")).trim() || null,
        role: data.get("role"),
        password: String(data.get("password")),
        kelurahan: codes,
      },
      label("account_done_create", { user: user }),
      create
    );
  }
  g.ready("accounts");
})();
