// The walidata's account management: each form and button of /accounts sends one request to
// the /users API (with the session's CSRF token); on success the page reloads with a note of
// what was done, on failure the API's problem is shown and nothing changes.
(function () {
  "use strict";
  var g = window.geoservice, label = g.label;
  var FLASH = "geoservice.accounts.done";
  var message = document.getElementById("message");

  function say(text, isError) {
    message.hidden = false;
    message.textContent = text;
    message.className = "message" + (isError ? " error" : "");
  }

  var done = window.sessionStorage.getItem(FLASH);
  if (done) { window.sessionStorage.removeItem(FLASH); say(done); }

  function send(method, path, body, note, form) {
    var buttons = form ? form.querySelectorAll("button") : [];
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    g.api(method, path, { body: body }).then(function (result) {
      if (result.status >= 300) {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        say(g.problemText(result), true);
        return;
      }
      window.sessionStorage.setItem(FLASH, note);
      window.location.reload();
    }).catch(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      say(label("network_error"), true);
    });
  }

  function onSubmit(form, handler) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      handler(new FormData(form));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("tr[data-username]"), function (row) {
    var user = row.dataset.username, path = "users/" + encodeURIComponent(user);
    Array.prototype.forEach.call(row.querySelectorAll("button.revoke"), function (button) {
      var code = button.dataset.code;
      button.addEventListener("click", function () {
        send("DELETE", path + "/kelurahan/" + encodeURIComponent(code), undefined,
          label("account_done_revoke", { user: user, code: code }), row);
      });
    });
    var grant = row.querySelector("form.grant");
    if (grant) {
      onSubmit(grant, function (data) {
        var code = String(data.get("code")).trim();
        send("PUT", path + "/kelurahan/" + encodeURIComponent(code), undefined,
          label("account_done_grant", { user: user, code: code }), grant);
      });
    }
    var toggle = row.querySelector("button.toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var disable = toggle.dataset.disable === "true";
        send("PATCH", path, { disabled: disable },
          label(disable ? "account_done_disable" : "account_done_enable", { user: user }), row);
      });
    }
    var password = row.querySelector("form.password");
    if (password) {
      onSubmit(password, function (data) {
        send("PATCH", path, { password: String(data.get("password")) },
          label("account_done_password", { user: user }), password);
      });
    }
  });

  var create = document.getElementById("create");
  onSubmit(create, function (data) {
    var user = String(data.get("username")).trim();
    var codes = String(data.get("kelurahan")).split(/[\s,;]+/).filter(Boolean);
    send("POST", "users", {
      username: user,
      full_name: String(data.get("full_name")).trim() || null,
      role: data.get("role"),
      password: String(data.get("password")),
      kelurahan: codes
    }, label("account_done_create", { user: user }), create);
  });
  g.ready("accounts");
}());
