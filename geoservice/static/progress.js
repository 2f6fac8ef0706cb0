// The progress monitor (/pantauan and /pantauan/publik): the completeness map (GeoJSON of
// /progress/map), the table of the areas below the current one (sortable, each area opens the
// level below), who is late and the quality queue with its decisions. Every text from the
// data goes in as text (textContent, text nodes), never as markup.
(function () {
  "use strict";
  var g = window.geoservice;
  var gs = g;
  var config = gs.config;
  var words = config.words;
  var el = gs.el;
  var state = { kode: config.kode, rows: [], campaigns: [], sort: { key: "nama", dir: 1 } };
  var map = null;
  var shapes = null;

  function say(key, params) {
    var text = words[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(params[name]));
    });
    return text;
  }

  function levelOf(kode) {
    // the areas below kode: provinsi -> kab/kota -> kecamatan -> desa/kelurahan
    if (!kode) return 1;
    return Math.min(4, Math.floor(kode.length / 3) + 2);
  }

  function percent(value) {
    return value === null || value === undefined ? "\u2013" : Math.round(value * 1000) / 10 + " %";
  }

  function show(text) {
    var box = document.getElementById("message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function query(kode, level) {
    return "?kode=" + encodeURIComponent(kode) + "&level=" + level;
  }

  function trail() {
    var nav = document.getElementById("trail");
    clear(nav);
    var parts = [];
    var kode = state.kode;
    while (kode && kode.length >= 2) {
      parts.unshift(kode);
      kode = kode.length > 2 ? kode.slice(0, kode.lastIndexOf(".")) : "";
    }
    parts.forEach(function (code, index) {
      if (index === parts.length - 1) {
        nav.appendChild(el("strong", { text: code }));
      } else {
        nav.appendChild(
          el("button", {
            type: "button",
            class: "drill",
            text: code,
            onclick: function () {
              open(code);
            },
          })
        );
      }
    });
  }

  function value(row, key) {
    if (key === "nama") return row.nama;
    if (key === "completeness") return row.completeness;
    if (key === "late_days") return row.late_days || 0;
    return row.campaigns[key];
  }

  function renderTable() {
    var table = document.getElementById("progress-table");
    var head = table.tHead;
    var body = table.tBodies[0];
    clear(head);
    clear(body);
    var columns = [{ key: "nama", title: words["pantauan.area"] }];
    state.campaigns.forEach(function (c) {
      columns.push({ key: c.id, title: c.title });
    });
    columns.push({ key: "completeness", title: words["pantauan.overall"] });
    if (!config.public) columns.push({ key: "late_days", title: words["pantauan.late_days"] });
    var tr = el("tr");
    columns.forEach(function (column) {
      var sorted = state.sort.key === column.key;
      var th = el(
        "th",
        {
          scope: "col",
          "aria-sort": sorted ? (state.sort.dir > 0 ? "ascending" : "descending") : null,
        },
        [
          el("button", {
            type: "button",
            "data-sort": column.key,
            title: words["pantauan.sort"],
            text: column.title,
            onclick: function () {
              state.sort = { key: column.key, dir: sorted ? -state.sort.dir : 1 };
              renderTable();
            },
          }),
        ]
      );
      tr.appendChild(th);
    });
    head.appendChild(tr);
    var rows = state.rows.slice().sort(function (a, b) {
      var x = value(a, state.sort.key),
        y = value(b, state.sort.key);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * state.sort.dir;
    });
    var deeper = levelOf(state.kode) < 4 || state.kode.length < 8;
    rows.forEach(function (row) {
      var name =
        deeper && row.kode.length < 13
          ? el("button", {
              type: "button",
              class: "drill",
              text: row.nama,
              "data-kode": row.kode,
              onclick: function () {
                open(row.kode);
              },
            })
          : document.createTextNode(row.nama);
      var cells = [el("td", {}, [name, el("small", { text: " " + row.kode })])];
      state.campaigns.forEach(function (c) {
        cells.push(el("td", { text: percent(row.campaigns[c.id]) }));
      });
      cells.push(el("td", { text: percent(row.completeness) }));
      if (!config.public) cells.push(el("td", { text: String(row.late_days || 0) }));
      body.appendChild(el("tr", { "data-kode": row.kode }, cells));
    });
  }

  function renderMap(collection) {
    if (!map) {
      map = L.map("progress-map", { zoomSnap: 0.5 });
    }
    if (shapes) map.removeLayer(shapes);
    shapes = L.geoJSON(collection, {
      style: g.areaStyle,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindTooltip(g.tip(p.nama + ": " + percent(p.completeness)));
        if (p.kode.length < 13) {
          layer.on("click", function () {
            open(p.kode);
          });
        }
      },
    }).addTo(map);
    if (shapes.getLayers().length) {
      map.fitBounds(shapes.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([-2.5, 118], 4);
    }
    var legend = document.getElementById("legend");
    clear(legend);
    var lower = 0;
    (collection.legend || []).forEach(function (row) {
      var swatch = el("span", { class: "swatch" });
      swatch.style.background = row.color;
      var label =
        row.upper >= 1
          ? "100 %"
          : Math.round(lower * 100) + "\u2013" + Math.round(row.upper * 100) + " %";
      legend.appendChild(el("li", {}, [swatch, label]));
      lower = row.upper;
    });
  }

  function renderLate(areas) {
    var list = document.getElementById("late");
    clear(list);
    var titles = {};
    state.campaigns.forEach(function (c) {
      titles[c.id] = c.title;
    });
    var found = 0;
    areas.forEach(function (area) {
      ["layers", "profile"].forEach(function (part) {
        Object.keys(area[part]).forEach(function (target) {
          var f = area[part][target];
          if (f.timeliness !== "overdue" && f.timeliness !== "late") return;
          found += 1;
          var pics = area.pics.length
            ? area.pics
                .map(function (p) {
                  return p.name || p.username;
                })
                .join(", ")
            : words["pantauan.no_pic"];
          list.appendChild(
            el("li", { "data-kode": area.kode, "data-campaign": f.campaign }, [
              say("pantauan.late_line", {
                name: area.nama,
                campaign: titles[f.campaign] || f.campaign,
                days: f.late_days,
              }),
              " \u2013 " + pics + " ",
              el("a", {
                href:
                  config.base +
                  "editor?kelurahan=" +
                  encodeURIComponent(area.kode) +
                  "&lang=" +
                  config.lang,
                text: words["pantauan.editor"],
              }),
            ])
          );
        });
      });
    });
    if (!found) list.appendChild(el("li", { text: words["pantauan.none_late"] }));
  }

  function decide(item, decision, node) {
    gs.api("POST", "progress/quality", {
      body: { subject: item.subject, decision: decision },
    }).then(
      function (result) {
        if (result.status === 200) {
          node.parentNode.removeChild(node);
          show(words["pantauan.decided"]);
        } else {
          show(gs.problemText(result));
        }
      },
      function () {
        show(words["pantauan.network"]);
      }
    );
  }

  function renderQuality(items) {
    var list = document.getElementById("quality");
    clear(list);
    if (!items.length) list.appendChild(el("li", { text: words["pantauan.quality_empty"] }));
    items.forEach(function (item) {
      var node = el("li", { "data-subject": item.subject, "data-kind": item.kind }, [
        el("strong", { text: item.kelurahan_name }),
        " ",
        item.message,
        " ",
        el("a", {
          href:
            config.base +
            "editor?kelurahan=" +
            encodeURIComponent(item.kelurahan) +
            "&lang=" +
            config.lang,
          text: words["pantauan.editor"],
        }),
      ]);
      if (config.may_decide) {
        node.appendChild(
          el(
            "div",
            { class: "actions" },
            item.decisions.map(function (decision) {
              return el("button", {
                type: "button",
                "data-decision": decision,
                text: words["pantauan.decision." + decision],
                onclick: function () {
                  decide(item, decision, node);
                },
              });
            })
          )
        );
      }
      list.appendChild(node);
    });
  }

  function open(kode) {
    state.kode = kode;
    document.getElementById("kode").value = kode;
    document.documentElement.removeAttribute("data-script-ready");
    show("");
    trail();
    var level = levelOf(kode);
    var kelurahan, rolled;
    var loads = [
      gs.api("GET", "progress/map" + query(kode, level)).then(function (result) {
        if (result.status !== 200) throw result;
        state.campaigns = result.body.campaigns;
        state.rows = result.body.features.map(function (f) {
          return f.properties;
        });
        renderMap(result.body);
      }),
    ];
    if (!config.public) {
      // the kelurahan's figures (who is late); the same answer serves the table below a
      // kecamatan, whose rows are kelurahan too
      kelurahan = gs.api("GET", "progress" + query(kode, 4));
      rolled = level === 4 ? kelurahan : gs.api("GET", "progress" + query(kode, level));
      loads.push(
        rolled.then(function (result) {
          if (result.status !== 200) throw result;
          var late = {};
          result.body.areas.forEach(function (a) {
            late[a.kode] = a.late_days;
          });
          state.late = late;
        })
      );
      loads.push(
        kelurahan.then(function (result) {
          if (result.status !== 200) throw result;
          renderLate(result.body.areas);
        })
      );
      loads.push(
        gs.api("GET", "progress/quality?kode=" + encodeURIComponent(kode)).then(function (result) {
          if (result.status !== 200) throw result;
          renderQuality(result.body.items);
        })
      );
      ["xlsx", "pdf"].forEach(function (f) {
        document.getElementById("report-" + f).href =
          config.base +
          "progress/report?kode=" +
          encodeURIComponent(kode) +
          "&f=" +
          f +
          "&lang=" +
          config.lang;
      });
    }
    Promise.all(loads).then(
      function () {
        state.rows.forEach(function (row) {
          row.late_days = (state.late || {})[row.kode] || 0;
        });
        renderTable();
        gs.ready("progress");
      },
      function (failure) {
        show(failure && failure.status ? gs.problemText(failure) : words["pantauan.network"]);
        gs.ready("progress");
      }
    );
  }

  open(state.kode);
})();
