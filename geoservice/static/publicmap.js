// The public map: published points of the visible area per layer (anonymous requests to the
// OGC API, so only what is published and public reaches the page), a legend from the layer
// styles, the kelurahan search with deep links (/map?kelurahan=35.71.01.1001), and the name of
// the desa/kelurahan where the map is clicked.
(function () {
  "use strict";
  var g = window.geoservice,
    map = g.map,
    config = g.config;
  var MIN_ZOOM = 11,
    LIMIT = 2000;
  var status = document.getElementById("map-status");
  var groups = g.groups;
  var pending = null,
    timer = null,
    outline = null;
  // a popup near the top pans clear of the search box that floats over the map
  L.Popup.mergeOptions({ autoPanPaddingTopLeft: L.point(12, 76) });

  // -- legend ----------------------------------------------------------------------------------
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    // a <details>: open on a wide screen, one tap away on a phone
    var box = g.el("details", { class: "legend", open: window.innerWidth > 700 }, [
      g.el("summary", { text: g.label("legend") }),
    ]);
    g.layers.forEach(function (layer) {
      box.appendChild(
        g.el("div", {}, [
          g.el("span", {
            class: "swatch",
            style: "background:" + layer.style.fill_color + ";border-color:" + layer.style.color,
          }),
          layer.title,
        ])
      );
    });
    box.appendChild(g.el("div", {}, [g.el("span", { class: "line" }), config.boundaries]));
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);

  // -- points of the visible area --------------------------------------------------------------
  function bbox() {
    var b = map.getBounds();
    function clamp(v, lo, hi) {
      return Math.min(hi, Math.max(lo, v));
    }
    return [
      clamp(b.getWest(), -180, 180),
      clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90),
    ]
      .map(function (v) {
        return v.toFixed(6);
      })
      .join(",");
  }

  function load() {
    if (pending) {
      pending.abort();
    }
    if (map.getZoom() < MIN_ZOOM) {
      g.layers.forEach(function (layer) {
        groups[layer.id].clearLayers();
      });
      status.textContent = g.label("zoom_in");
      return;
    }
    pending = new AbortController();
    var signal = pending.signal,
      notes = [];
    var shown = g.layers.filter(function (layer) {
      return map.hasLayer(groups[layer.id]);
    });
    status.textContent = "";
    Promise.all(
      shown.map(function (layer) {
        var path = "collections/" + layer.id + "/items?bbox=" + bbox() + "&limit=" + LIMIT;
        return g.api("GET", path, { anonymous: true, signal: signal }).then(function (result) {
          if (result.status !== 200) {
            notes.push(
              g.label("load_failed", { layer: layer.title, reason: g.problemText(result) })
            );
            return;
          }
          // points still in view keep their markers (and an open popup); the others go
          var group = groups[layer.id],
            shown = {};
          group.eachLayer(function (marker) {
            shown[marker.feature.id] = marker;
          });
          result.body.features.forEach(function (feature) {
            var c = feature.geometry.coordinates,
              marker = shown[feature.id];
            delete shown[feature.id];
            if (marker) {
              marker.feature = feature;
              marker.setLatLng([c[1], c[0]]);
              return;
            }
            marker = g.circle(layer, [c[1], c[0]]);
            marker.feature = feature;
            // a popup stops the click, so the map does not also name the kelurahan (below)
            marker.bindPopup(function () {
              return g.popup(layer, marker.feature);
            });
            group.addLayer(marker);
          });
          Object.keys(shown).forEach(function (id) {
            group.removeLayer(shown[id]);
          });
          var matched = result.body.numberMatched,
            returned = result.body.numberReturned;
          if (matched !== undefined && matched > returned) {
            notes.push(g.label("partial", { layer: layer.title, shown: returned, total: matched }));
          }
        });
      })
    )
      .then(function () {
        status.textContent = notes.join(" ");
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          status.textContent = g.label("network_error");
        }
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  }
  map.on("moveend", schedule);
  map.on("overlayadd", schedule);
  load();

  // -- search and deep links ---------------------------------------------------------------------
  var form = document.getElementById("search");
  var input = document.getElementById("search-q");
  var results = document.getElementById("search-results");

  function show(area) {
    var b = area.bbox;
    map.fitBounds(
      [
        [b[1], b[0]],
        [b[3], b[2]],
      ],
      { maxZoom: 17 }
    );
    results.hidden = true;
    input.value = area.nama;
    select(area);
  }

  // the area becomes the page's (its link can be shared) and is outlined
  function select(area) {
    var url = new URL(window.location.href);
    url.searchParams.set("kelurahan", area.kode);
    window.history.replaceState(null, "", url);
    g.api("GET", "collections/kelurahan/items/" + encodeURIComponent(area.kode), {
      anonymous: true,
    }).then(function (result) {
      if (result.status !== 200) {
        return;
      }
      if (outline) {
        map.removeLayer(outline);
      }
      outline = L.geoJSON(result.body, {
        interactive: false,
        style: { color: "#e8590c", weight: 3, dashArray: "6 4", fillOpacity: 0.05 },
      }).addTo(map);
    });
  }

  // -- which desa/kelurahan is here -------------------------------------------------------------
  // A click or tap on the map names the desa/kelurahan there, as /search?at= finds it in the
  // stored boundaries (not in the tiles' generalized outlines), and outlines it.
  function describe(area) {
    var kind = area.jenis ? area.jenis.charAt(0).toUpperCase() + area.jenis.slice(1) + " " : "";
    var within = [
      area.kecamatan && g.label("kecamatan_of", { name: area.kecamatan }),
      area.kabkota,
    ];
    return g.el("div", { class: "popup area" }, [
      g.el("strong", { text: kind + area.nama }),
      g.el("div", { text: within.filter(Boolean).join(", ") }),
      g.el("div", { text: g.label("area_code", { code: area.kode }) }),
      g.el("a", {
        href: config.base + "collections/kelurahan/items/" + encodeURIComponent(area.kode),
        text: g.label("area_data"),
      }),
    ]);
  }

  function identify(latlng) {
    var at = latlng.lng.toFixed(7) + "," + latlng.lat.toFixed(7);
    g.api("GET", "search?at=" + at, { anonymous: true })
      .then(function (result) {
        if (result.status !== 200) {
          status.textContent = g.problemText(result);
          return;
        }
        var found = result.body.kelurahan;
        if (!found.length) {
          return;
        } // outside every desa/kelurahan the service holds
        L.popup({ maxWidth: 260 })
          .setLatLng(latlng)
          .setContent(g.el("div", {}, found.map(describe)))
          .openOn(map);
        select(found[0]);
      })
      .catch(function () {
        status.textContent = g.label("network_error");
      });
  }

  // a double click or tap zooms and names nothing: wait for it before asking
  var clickTimer = null;
  map.on("click", function (event) {
    clearTimeout(clickTimer);
    clickTimer = setTimeout(function () {
      identify(event.latlng);
    }, 300);
  });
  map.on("dblclick", function () {
    clearTimeout(clickTimer);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    results.replaceChildren();
    results.hidden = false;
    results.appendChild(g.el("li", { text: g.label("searching") }));
    var q = input.value.trim();
    g.api("GET", "search?q=" + encodeURIComponent(q), { anonymous: true })
      .then(function (result) {
        results.replaceChildren();
        if (result.status !== 200) {
          results.appendChild(g.el("li", { class: "error", text: g.problemText(result) }));
          return;
        }
        var found = result.body.kelurahan;
        if (!found.length) {
          results.appendChild(g.el("li", { text: g.label("no_results") }));
          return;
        }
        if (found.length === 1) {
          show(found[0]);
          return;
        }
        found.forEach(function (area) {
          results.appendChild(
            g.el("li", {}, [
              g.el(
                "button",
                {
                  type: "button",
                  onclick: function () {
                    show(area);
                  },
                },
                [
                  area.nama + " ",
                  g.el("small", {
                    text: [area.kecamatan, area.kabkota, area.kode].filter(Boolean).join(" · "),
                  }),
                ]
              ),
            ])
          );
        });
      })
      .catch(function () {
        results.replaceChildren();
        results.appendChild(g.el("li", { class: "error", text: g.label("network_error") }));
      });
  });
  g.ready("map");
})();
