// The PIC's editor: the kelurahan's points per layer, placed with Geoman's marker tool (or the
// phone's GPS), moved by dragging, changed in a form generated from the layer's schema. Every
// write goes to the OGC API, which validates it; its answers (problem JSON, in the page's
// language) are shown beside the form.
(function () {
  "use strict";
  var g = window.geoservice,
    map = g.map,
    config = g.config,
    label = g.label,
    el = g.el;
  var kelurahan = config.kelurahan;
  var layers = {},
    groups = g.groups,
    entries = {};
  g.layers.forEach(function (layer) {
    layers[layer.id] = layer;
  });
  var current = null; // {layer, entry|null, marker, origin (LatLng before a move), moved}
  var ui = {
    layer: document.getElementById("layer-select"),
    add: document.getElementById("add-point"),
    locate: document.getElementById("my-location"),
    message: document.getElementById("message"),
    form: document.getElementById("form-area"),
    list: document.getElementById("points-list"),
    listTitle: document.getElementById("points-title"),
  };

  // -- messages ----------------------------------------------------------------------------------
  // the message sits right above the form's buttons while a form is open (where the PIC's
  // eyes are after pressing Save, even on a phone), otherwise at the top of the panel
  var messageHome = ui.message.parentNode,
    messageNext = ui.message.nextSibling;
  function say(text, isError, extra) {
    var buttons = ui.form.querySelector(".buttons");
    if (buttons && text) {
      buttons.parentNode.insertBefore(ui.message, buttons);
    } else if (!buttons) {
      messageHome.insertBefore(ui.message, messageNext);
    }
    ui.message.replaceChildren();
    ui.message.hidden = !text;
    ui.message.className = "message" + (isError ? " error" : "");
    if (text) {
      ui.message.appendChild(el("p", { text: text, style: "margin:0" }));
    }
    (extra || []).forEach(function (node) {
      ui.message.appendChild(node);
    });
    if (text || (extra && extra.length)) {
      ui.message.scrollIntoView({ block: "nearest" });
    }
  }

  // -- points ------------------------------------------------------------------------------------
  function key(layerId, id) {
    return layerId + "/" + id;
  }

  function nameOf(layer, feature) {
    var value = feature && feature.properties[layer.name_attribute];
    return value === null || value === undefined || value === "" ? "#" + feature.id : String(value);
  }

  function place(layer, feature) {
    var c = feature.geometry.coordinates,
      k = key(layer.id, feature.id);
    var entry = entries[k],
      marker;
    if (!entry) {
      marker = L.marker([c[1], c[0]], { title: nameOf(layer, feature), riseOnHover: true });
      entry = entries[k] = { layer: layer, marker: marker };
      marker.on("click", function () {
        select(entry);
      });
      marker.on("dragend pm:dragend", function () {
        moved(entry);
      });
      groups[layer.id].addLayer(marker);
    }
    entry.feature = feature;
    entry.marker.setLatLng([c[1], c[0]]);
    entry.marker.setIcon(
      g.icon(layer, feature.properties.status, current && current.entry === entry)
    );
    entry.marker.options.title = nameOf(layer, feature);
    entry.marker.bindTooltip(
      g.tip(nameOf(layer, feature) + " · " + label("status." + feature.properties.status))
    );
    return entry;
  }

  function forget(entry) {
    groups[entry.layer.id].removeLayer(entry.marker);
    delete entries[key(entry.layer.id, entry.feature.id)];
  }

  function renderList() {
    ui.listTitle.textContent = label("points_list");
    ui.list.replaceChildren();
    var all = Object.keys(entries).map(function (k) {
      return entries[k];
    });
    if (!all.length) {
      ui.list.appendChild(el("li", { text: label("no_points") }));
      return;
    }
    all.sort(function (a, b) {
      return (a.layer.title + nameOf(a.layer, a.feature)).localeCompare(
        b.layer.title + nameOf(b.layer, b.feature)
      );
    });
    all.forEach(function (entry) {
      var status = entry.feature.properties.status;
      ui.list.appendChild(
        el("li", {}, [
          el(
            "button",
            {
              type: "button",
              class: "linklike",
              onclick: function () {
                select(entry, true);
              },
            },
            [entry.layer.title + ": " + nameOf(entry.layer, entry.feature)]
          ),
          " ",
          el("span", { class: "badge " + status, text: label("status." + status) }),
        ])
      );
    });
  }

  function loadAll() {
    return Promise.all(
      g.layers.map(function (layer) {
        var path =
          "collections/" +
          layer.id +
          "/items?kode=" +
          encodeURIComponent(kelurahan.kode) +
          "&limit=10000";
        return g.api("GET", path).then(function (result) {
          if (result.status !== 200) {
            say(label("load_failed", { layer: layer.title, reason: g.problemText(result) }), true);
            return;
          }
          result.body.features.forEach(function (feature) {
            place(layer, feature);
          });
        });
      })
    )
      .then(renderList)
      .catch(function () {
        say(label("network_error"), true);
      });
  }

  // -- selection and the form --------------------------------------------------------------------
  function release() {
    if (!current) {
      return;
    }
    var c = current;
    current = null;
    if (c.entry) {
      if (c.moved) {
        c.entry.marker.setLatLng(c.origin);
      }
      if (c.entry.marker.dragging) {
        c.entry.marker.dragging.disable();
      }
      place(c.entry.layer, c.entry.feature);
    } else if (c.marker) {
      map.removeLayer(c.marker);
    }
    messageHome.insertBefore(ui.message, messageNext);
    ui.form.replaceChildren();
  }

  function select(entry, pan) {
    if (current && current.entry === entry) {
      return;
    }
    release();
    current = {
      layer: entry.layer,
      entry: entry,
      marker: entry.marker,
      origin: entry.marker.getLatLng(),
      moved: false,
    };
    ui.layer.value = entry.layer.id;
    if (entry.marker.dragging) {
      entry.marker.dragging.enable();
    } // drag the chosen point
    place(entry.layer, entry.feature);
    if (pan) {
      map.panTo(entry.marker.getLatLng());
    }
    say("");
    renderForm();
  }

  function startNew(layer, latlng, note) {
    release();
    var marker = L.marker(latlng, { icon: g.icon(layer, "draft", true), draggable: true }).addTo(
      map
    );
    current = { layer: layer, entry: null, marker: marker, origin: latlng, moved: false };
    say(note || "");
    renderForm();
  }

  function moved(entry) {
    var latlng;
    if (!current || current.entry !== entry) {
      latlng = entry.marker.getLatLng(); // where it was dropped: select() puts it back
      select(entry);
      current.origin = L.latLng(
        entry.feature.geometry.coordinates[1],
        entry.feature.geometry.coordinates[0]
      );
      entry.marker.setLatLng(latlng);
    }
    current.moved = true;
    say(label("moved"));
  }

  function field(attribute, value) {
    var id = "f-" + attribute.name,
      input,
      numeric;
    var common = { id: id, name: attribute.name, "aria-describedby": "err-" + attribute.name };
    if (attribute.enum) {
      input = el(
        "select",
        common,
        [el("option", { value: "", text: label("choose") })].concat(
          attribute.enum.map(function (option) {
            return el("option", {
              value: String(option),
              text: String(option),
              selected: String(option) === String(value),
            });
          })
        )
      );
    } else if (attribute.type === "boolean") {
      input = el("select", common, [
        el("option", { value: "", text: label("choose") }),
        el("option", { value: "true", text: "Ya / Yes", selected: value === true }),
        el("option", { value: "false", text: "Tidak / No", selected: value === false }),
      ]);
    } else {
      numeric = attribute.type === "integer" || attribute.type === "number";
      input = el(
        "input",
        Object.assign(
          {
            type: numeric ? "number" : attribute.type === "date" ? "date" : "text",
            inputmode:
              attribute.type === "integer"
                ? "numeric"
                : attribute.type === "number"
                  ? "decimal"
                  : null,
            step: attribute.type === "integer" ? "1" : attribute.type === "number" ? "any" : null,
            min: attribute.minimum,
            max: attribute.maximum,
            maxlength: attribute.max_length,
            value: value === null || value === undefined ? "" : String(value),
          },
          common
        )
      );
    }
    if (attribute.required) {
      input.setAttribute("aria-required", "true");
    }
    return [
      el("label", { for: id, text: attribute.title + (attribute.required ? " *" : "") }),
      input,
      el("p", { class: "field-error", id: "err-" + attribute.name }),
    ];
  }

  function renderForm() {
    messageHome.insertBefore(ui.message, messageNext);
    var c = current,
      layer = c.layer,
      feature = c.entry && c.entry.feature;
    var props = feature ? feature.properties : {};
    ui.form.replaceChildren();
    var title = feature
      ? label("edit_point", { layer: layer.title, name: nameOf(layer, feature) })
      : label("new_point", { layer: layer.title });
    var nodes = [el("h2", { text: title })];
    if (feature) {
      nodes.push(
        el("p", { class: "statusline" }, [
          label("status") + ": ",
          el("span", {
            class: "badge " + props.status,
            id: "point-status",
            text: label("status." + props.status),
          }),
          " · " + label("version") + " " + props.versi,
        ])
      );
      if (props.status === "rejected" && props.alasan_penolakan) {
        nodes.push(
          el("p", { class: "rejection", id: "rejection" }, [
            el("strong", { text: label("rejection") + ": " }),
            props.alasan_penolakan,
          ])
        );
      }
    }
    nodes.push(el("p", { class: "sub", text: label("required_note") }));
    layer.attributes.forEach(function (attribute) {
      field(attribute, props[attribute.name]).forEach(function (node) {
        nodes.push(node);
      });
    });
    var buttons = [el("button", { type: "submit", id: "save", text: label("save") })];
    if (feature && (props.status === "draft" || props.status === "rejected")) {
      buttons.push(
        el("button", {
          type: "button",
          id: "submit-point",
          class: "secondary",
          text: label("submit"),
          onclick: submitPoint,
        })
      );
    }
    if (feature) {
      buttons.push(
        el("button", {
          type: "button",
          id: "delete",
          class: "danger",
          text: label("delete"),
          onclick: deletePoint,
        })
      );
    }
    buttons.push(
      el("button", {
        type: "button",
        id: "cancel",
        class: "secondary",
        text: label("cancel"),
        onclick: function () {
          release();
          say("");
        },
      })
    );
    nodes.push(el("div", { class: "buttons" }, buttons));
    var form = el("form", { class: "point", id: "point-form", novalidate: true }, nodes);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(false);
    });
    ui.form.appendChild(form);
  }

  function values() {
    var result = {};
    current.layer.attributes.forEach(function (attribute) {
      var raw = document.getElementById("f-" + attribute.name).value.trim();
      var value = raw;
      if (raw === "") {
        value = null;
      } else if (attribute.type === "boolean") {
        value = raw === "true";
      } else if (
        (attribute.type === "integer" || attribute.type === "number") &&
        !Number.isNaN(Number(raw))
      ) {
        value = Number(raw);
      } else if (
        attribute.enum &&
        typeof attribute.enum[0] === "number" &&
        !Number.isNaN(Number(raw))
      ) {
        value = Number(raw);
      }
      result[attribute.name] = value;
    });
    return result;
  }

  function point(latlng) {
    return {
      type: "Point",
      coordinates: [Number(latlng.lng.toFixed(7)), Number(latlng.lat.toFixed(7))],
    };
  }

  function busy(on) {
    Array.prototype.forEach.call(ui.form.querySelectorAll("button"), function (b) {
      b.disabled = on;
    });
    if (on) {
      say(label("saving"));
    }
  }

  function clearFieldErrors() {
    Array.prototype.forEach.call(ui.form.querySelectorAll(".field-error"), function (p) {
      p.textContent = "";
    });
    Array.prototype.forEach.call(ui.form.querySelectorAll("[aria-invalid]"), function (i) {
      i.removeAttribute("aria-invalid");
    });
  }

  // what the API answered with, shown beside the form
  function explain(result, retry) {
    var body = result.body || {},
      extra;
    clearFieldErrors();
    if (result.status === 401) {
      // a disabled account is told so (the walidata's doing), an ended session is sent to sign in
      if (/\/account-disabled$/.test(body.type || "")) {
        say(body.detail, true);
        return;
      }
      say("", true, [
        el("a", {
          href:
            config.base +
            "login?lang=" +
            config.lang +
            "&next=" +
            encodeURIComponent(location.pathname + location.search),
          text: label("session_expired"),
        }),
      ]);
      return;
    }
    if (result.status === 412) {
      say(label("precondition_failed.detail"), true, [
        el("button", { type: "button", id: "reload", text: label("reload"), onclick: reload }),
      ]);
      return;
    }
    // a possible duplicate, or a name to check: the PIC confirms with the page's own button
    if (result.status === 409 && (body.duplicates || body.confirm)) {
      extra = [];
      if (body.duplicates) {
        extra.push(el("p", { text: label("duplicate"), style: "margin:.3rem 0 0" }));
        extra.push(
          el(
            "ul",
            {},
            body.duplicates.map(function (d) {
              return el("li", { text: (d.name || "#" + d.id) + " (" + d.distance_m + " m)" });
            })
          )
        );
      }
      extra.push(
        el("button", {
          type: "button",
          id: "save-anyway",
          text: label("save_anyway"),
          onclick: function () {
            retry(true);
          },
        })
      );
      say(body.detail, true, extra);
      return;
    }
    var general = [];
    (body.errors || []).forEach(function (problem) {
      var target = document.getElementById("err-" + problem.field);
      if (target) {
        target.textContent = problem.message;
        document.getElementById("f-" + problem.field).setAttribute("aria-invalid", "true");
      } else if (problem.message !== body.detail) {
        // the same sentence once, not twice
        general.push(el("li", { text: problem.message }));
      }
    });
    say(g.problemText(result), true, general.length ? [el("ul", {}, general)] : []);
  }

  function failed() {
    busy(false);
    say(label("network_error"), true);
  }

  function save(allowDuplicate) {
    var c = current,
      layer = c.layer;
    var suffix = allowDuplicate ? "?allow_duplicate=true" : "";
    var request, props, patch;
    if (!c.entry) {
      props = values();
      Object.keys(props).forEach(function (name) {
        if (props[name] === null) {
          delete props[name];
        }
      });
      request = g.api("POST", "collections/" + layer.id + "/items" + suffix, {
        body: { type: "Feature", geometry: point(c.marker.getLatLng()), properties: props },
        contentType: "application/geo+json",
      });
    } else {
      patch = { properties: values() };
      if (c.moved) {
        patch.geometry = point(c.marker.getLatLng());
      }
      request = g.api(
        "PATCH",
        "collections/" + layer.id + "/items/" + c.entry.feature.id + suffix,
        {
          body: patch,
          contentType: "application/merge-patch+json",
          etag: '"' + c.entry.feature.properties.versi + '"',
        }
      );
    }
    busy(true);
    request
      .then(function (result) {
        busy(false);
        if (result.status !== 200 && result.status !== 201) {
          explain(result, save);
          return;
        }
        if (!c.entry) {
          map.removeLayer(c.marker);
        }
        current = null;
        var entry = place(layer, result.body);
        renderList();
        select(entry);
        say(label("saved"));
      })
      .catch(failed);
  }

  function step(name, doneLabel) {
    var entry = current.entry;
    busy(true);
    g.api("POST", "collections/" + entry.layer.id + "/items/" + entry.feature.id + "/" + name, {
      etag: '"' + entry.feature.properties.versi + '"',
    })
      .then(function (result) {
        busy(false);
        if (result.status !== 200) {
          explain(result, function () {
            step(name, doneLabel);
          });
          return;
        }
        current = null;
        select(place(entry.layer, result.body));
        renderList();
        say(label(doneLabel));
      })
      .catch(failed);
  }

  function submitPoint() {
    step("submit", "submitted_ok");
  }

  function deletePoint(event) {
    var button = event.target;
    if (!button.dataset.confirm) {
      // a second press confirms: no dialog box on a phone
      button.dataset.confirm = "1";
      button.textContent = label("delete_confirm");
      return;
    }
    var entry = current.entry;
    busy(true);
    g.api("DELETE", "collections/" + entry.layer.id + "/items/" + entry.feature.id, {
      etag: '"' + entry.feature.properties.versi + '"',
    })
      .then(function (result) {
        busy(false);
        if (result.status !== 204) {
          explain(result);
          return;
        }
        current = null;
        forget(entry);
        ui.form.replaceChildren();
        renderList();
        say(label("deleted"));
      })
      .catch(failed);
  }

  function reload() {
    var entry = current && current.entry;
    if (!entry) {
      return;
    }
    g.api("GET", "collections/" + entry.layer.id + "/items/" + entry.feature.id)
      .then(function (result) {
        current = null;
        if (result.status === 404) {
          forget(entry);
          ui.form.replaceChildren();
          renderList();
          say(g.problemText(result), true);
          return;
        }
        select(place(entry.layer, result.body));
        renderList();
      })
      .catch(failed);
  }

  // -- adding points -----------------------------------------------------------------------------
  g.layers.forEach(function (layer) {
    ui.layer.appendChild(el("option", { value: layer.id, text: layer.title }));
  });
  function chosenLayer() {
    return layers[ui.layer.value];
  }

  ui.add.textContent = label("add_point");
  // on a phone the panel sits below the map: bring the map into view before asking for a tap
  function showMap() {
    var frame = document.querySelector(".map-frame");
    var box = frame.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      frame.scrollIntoView({ block: "start" });
    }
  }

  ui.add.addEventListener("click", function () {
    showMap();
    release();
    map.pm.enableDraw("Marker", {
      markerStyle: { icon: g.icon(chosenLayer(), "draft", true) },
      continueDrawing: false,
    });
    say(label("add_hint", { layer: chosenLayer().title }));
  });
  map.on("pm:create", function (event) {
    var latlng = event.layer.getLatLng();
    map.removeLayer(event.layer); // Geoman's marker only marks the spot; the form's marker replaces it
    startNew(chosenLayer(), latlng);
  });

  ui.locate.textContent = label("my_location");
  // the fix is checked against the PIC's kelurahan at once (the stored boundary, as the
  // server will check it at Save), so a PIC standing in the neighbouring kelurahan knows now
  function checkPlace(latlng) {
    var at = latlng.lng.toFixed(6) + "," + latlng.lat.toFixed(6);
    g.api("GET", "search?at=" + at, { anonymous: true }).then(function (result) {
      if (result.status !== 200) {
        return;
      }
      var found = result.body.kelurahan || [];
      if (
        found.some(function (k) {
          return k.kode === kelurahan.kode;
        })
      ) {
        return;
      }
      say(
        found.length
          ? label("location_elsewhere", { place: found[0].nama, mine: kelurahan.nama })
          : label("location_outside"),
        true
      );
    });
  }

  ui.locate.addEventListener("click", function () {
    showMap();
    if (!navigator.geolocation) {
      say(label("location_failed"), true);
      return;
    }
    say(label("locating"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(latlng, Math.max(map.getZoom(), 17));
        startNew(
          chosenLayer(),
          latlng,
          label("location_accuracy", { metres: Math.round(position.coords.accuracy) })
        );
        checkPlace(latlng);
      },
      function (error) {
        // the browser's own text (English, technical) is not shown: a sentence per cause is
        say(label(error.code === 1 ? "location_denied" : "location_failed"), true);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  });

  ui.layer.addEventListener("change", function () {
    if (current && !current.entry) {
      // a new point not saved yet changes layer with the choice
      current.layer = chosenLayer();
      current.marker.setIcon(g.icon(current.layer, "draft", true));
      renderForm();
    }
  });

  // a PIC with several kelurahan switches between them (no inline handler: the page's policy
  // runs no script written into the markup)
  var switcher = document.getElementById("kelurahan-switch");
  if (switcher) {
    switcher.addEventListener("change", function () {
      switcher.form.submit();
    });
  }
  window.geoserviceEditor = { entries: entries, ready: loadAll() };
  g.ready("editor");
})();
