// The walidata's review: each submitted point on the map and in the list, verified or rejected
// (with a reason the PIC will see) through the OGC API, with the ETag each point was listed at.
(function () {
  "use strict";
  var g = window.geoservice,
    map = g.map,
    config = g.config,
    label = g.label,
    el = g.el;
  var group = g.parts.points;
  var layers = {};
  g.layers.forEach(function (layer) {
    layers[layer.id] = layer;
  });
  var markers = {};
  var message = document.getElementById("message");

  config.queue.forEach(function (entry) {
    entry.points.forEach(function (p) {
      var layer = layers[p.collection] || { title: p.collection, style: null, attributes: [] };
      var c = p.geometry.coordinates,
        o;
      var marker = g
        .circle(layer, [c[1], c[0]])
        .bindTooltip(g.tip(layer.title + ": " + (p.name || p.id)));
      markers[p.collection + "/" + p.id] = marker;
      group.addLayer(marker);
      // where the published version stands: a hollow ring and a dashed line to the new place
      if (p.published && p.published.moved_m >= 0.5) {
        o = p.published.geometry.coordinates;
        group.addLayer(
          L.circleMarker([o[1], o[0]], {
            radius: 6,
            color: "#495057",
            weight: 2,
            fill: false,
            dashArray: "3 3",
          })
        );
        group.addLayer(
          L.polyline(
            [
              [o[1], o[0]],
              [c[1], c[0]],
            ],
            { color: "#495057", weight: 2, dashArray: "4 4" }
          )
        );
      }
    });
  });

  function done(item, text, isError) {
    var result = item.querySelector(".result");
    result.textContent = text;
    result.className = "result" + (isError ? " error" : "");
  }

  function act(item, step, body) {
    var collection = item.dataset.collection,
      id = item.dataset.id;
    var buttons = item.querySelectorAll(".actions button");
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = true;
    });
    g.api("POST", "collections/" + collection + "/items/" + id + "/" + step, {
      etag: item.dataset.etag,
      body: body,
    })
      .then(function (response) {
        if (response.status !== 200) {
          Array.prototype.forEach.call(buttons, function (b) {
            b.disabled = false;
          });
          done(item, g.problemText(response), true);
          return;
        }
        item.dataset.etag = response.headers.get("ETag") || item.dataset.etag;
        item.classList.add("done");
        item.querySelector(".actions").remove();
        done(item, label(step === "verify" ? "verified_ok" : "rejected_ok"));
        var marker = markers[collection + "/" + id];
        if (marker) {
          group.removeLayer(marker);
        }
      })
      .catch(function () {
        Array.prototype.forEach.call(buttons, function (b) {
          b.disabled = false;
        });
        done(item, label("network_error"), true);
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".submission"), function (item) {
    var key = item.dataset.collection + "/" + item.dataset.id;
    item.querySelector(".focus").addEventListener("click", function () {
      var marker = markers[key];
      if (marker) {
        map.setView(marker.getLatLng(), 18);
        marker.openTooltip();
      }
    });
    item.querySelector(".verify").addEventListener("click", function () {
      act(item, "verify");
    });
    item.querySelector(".reject").addEventListener("click", function (event) {
      var actions = item.querySelector(".actions");
      if (actions.querySelector("textarea")) {
        return;
      }
      var id = "reason-" + item.dataset.id;
      var reason = el("textarea", { id: id, rows: "2", maxlength: "500" });
      var send = el("button", {
        type: "button",
        class: "send-reject",
        text: label("send_reject"),
        onclick: function () {
          if (!reason.value.trim()) {
            done(item, label("reason_required"), true);
            reason.focus();
            return;
          }
          act(item, "reject", { reason: reason.value.trim() });
        },
      });
      actions.appendChild(el("label", { for: id, text: label("reason"), style: "width:100%" }));
      actions.appendChild(reason);
      actions.appendChild(send);
      event.target.disabled = true;
      reason.focus();
    });
  });
  // submission times in the reader's own time zone (WIB, WITA or WIT)
  Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (node) {
    var when = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(when.getTime())) {
      node.textContent = when.toLocaleString(config.lang === "id" ? "id-ID" : "en-GB", {
        dateStyle: "medium",
        timeStyle: "short",
      });
    }
  });
  if (message) {
    message.hidden = true;
  }
  g.ready("review");
})();
