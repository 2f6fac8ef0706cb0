// The planner page: an indicator's choropleth (GeoJSON from /indicators/{code}/choropleth,
// classified by the service with mapclassify), its legend, popups with every value and the
// verified facility counts of the area, and the published points of the area per layer.
// Changing the period, comparison, method or classes redraws without a new page; changing the
// indicator or the area loads the page for it (their periods and areas differ).
(function () {
  "use strict";
  var g = window.geoservice,
    map = g.map,
    config = g.config;

  // -- the import form (planners and admins): check first, then import; the server's report --
  var importForm = document.getElementById("import-form"),
    result,
    // column title -> indicator code the planner confirmed from the report's proposals
    mapping = {};
  if (importForm) {
    result = document.getElementById("import-result");
    document.getElementById("import-file").addEventListener("change", function () {
      mapping = {}; // another file: its own columns
    });
    importForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(importForm);
      var dryRun = event.submitter ? event.submitter.value : "true";
      data.set("dry_run", dryRun);
      ["period", "kode"].forEach(function (name) {
        if (!data.get(name)) {
          data.delete(name);
        }
      });
      if (Object.keys(mapping).length) {
        data.set("map", JSON.stringify(mapping));
      }
      result.hidden = false;
      result.className = "message";
      result.textContent = g.label("loading");
      fetch(config.base + "indicators/import?lang=" + config.lang, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": config.csrf || "", Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { status: response.status, body: body };
          });
        })
        .then(function (answer) {
          var body = answer.body || {};
          var report = answer.status === 200 ? body : body.report;
          result.textContent = "";
          if (!report) {
            result.className = "message error";
            result.textContent = g.problemText(answer);
            if (body.proposals && body.proposals.length) {
              result.appendChild(proposalPicker(body.proposals));
            }
            return;
          }
          var errors = report.issues.filter(function (i) {
            return i.severity === "error";
          });
          if (errors.length) {
            result.className = "message error";
            result.appendChild(
              g.el("p", { text: g.label("import_problems", { errors: errors.length }) })
            );
          } else if (report.written) {
            result.appendChild(g.el("p", { text: g.label("import_written", report.values) }));
            setTimeout(function () {
              location.reload();
            }, 1200);
          } else {
            result.appendChild(
              g.el("p", { text: g.label("import_checked", { rows: report.rows }) })
            );
          }
          var list = g.el("ul");
          report.issues.forEach(function (issue) {
            var where = issue.row
              ? g.label("import_row", { row: issue.row })
              : g.label("import_file_level");
            list.appendChild(
              g.el("li", { class: issue.severity, text: where + ": " + issue.message })
            );
          });
          report.notes.forEach(function (note) {
            list.appendChild(g.el("li", { text: note }));
          });
          if (list.childNodes.length) {
            result.appendChild(list);
          }
          if (!report.written && report.proposals && report.proposals.length) {
            result.appendChild(proposalPicker(report.proposals));
          }
        })
        .catch(function (error) {
          result.className = "message error";
          result.textContent = String(error);
        });
    });
  }

  // The columns whose titles suggest an indicator: one choice each (the proposal, another
  // indicator, or none); what is chosen goes with the next check or import as `map`.
  function proposalPicker(proposals) {
    var box = g.el("fieldset", { id: "import-mapping" }, [
      g.el("legend", { text: g.label("import_mapping_title") }),
    ]);
    proposals.forEach(function (proposal, i) {
      var options = [g.el("option", { value: "", text: g.label("import_mapping_skip") })];
      var codes = {};
      var title = proposal.title[config.lang] || proposal.title.id;
      [{ code: proposal.indicator, title: title }]
        .concat(config.indicators || [])
        .forEach(function (ind) {
          if (codes[ind.code]) {
            return;
          }
          codes[ind.code] = true;
          options.push(
            g.el("option", { value: ind.code, text: ind.title + " (" + ind.code + ")" })
          );
        });
      var id = "import-mapping-" + i;
      var select = g.el("select", { id: id, "data-column": proposal.column }, options);
      select.value = proposal.column in mapping ? mapping[proposal.column] : proposal.indicator;
      mapping[proposal.column] = select.value;
      select.addEventListener("change", function () {
        if (select.value) {
          mapping[proposal.column] = select.value;
        } else {
          delete mapping[proposal.column];
        }
      });
      if (!select.value) {
        delete mapping[proposal.column];
      }
      box.appendChild(
        g.el("label", {
          for: id,
          text: g.label("import_mapping_column", { column: proposal.column }),
        })
      );
      box.appendChild(select);
    });
    box.appendChild(g.el("p", { text: g.label("import_mapping_hint") }));
    return box;
  }

  var form = document.getElementById("planner-form");
  if (!form) {
    g.ready("planner");
    return;
  }
  var status = document.getElementById("planner-status");
  var legendPanel = document.getElementById("legend-panel");
  var tableLink = document.getElementById("table-link");
  var group = g.parts.choropleth;
  var groups = g.groups;
  var byCode = {};
  config.indicators.forEach(function (ind) {
    byCode[ind.code] = ind;
  });
  var pending = null,
    fitted = false,
    lastBody = null;

  function field(name) {
    return form.elements[name].value;
  }

  function number(value, decimals) {
    if (value === null || value === undefined) {
      return "–";
    }
    return new Intl.NumberFormat(config.lang === "en" ? "en" : "id-ID", {
      maximumFractionDigits: decimals,
      minimumFractionDigits: 0,
    }).format(value);
  }

  function query(indicator) {
    var params = new URLSearchParams();
    params.set("kode", field("kode"));
    params.set("period", field("periode"));
    // a profile field's map has no comparison (compare: false)
    var compares = indicator.compare !== false;
    if (compares && field("banding") && field("banding") !== field("periode")) {
      params.set("compare", field("banding"));
    }
    params.set("method", field("metode"));
    params.set("k", field("kelas"));
    return params;
  }

  function pageUrl() {
    var params = new URLSearchParams(new FormData(form));
    return location.pathname + "?" + params.toString();
  }

  function popup(feature, indicator, meta) {
    var p = feature.properties;
    var list = g.el("dl");
    function row(term, value) {
      list.appendChild(g.el("dt", { text: term }));
      list.appendChild(g.el("dd", { text: value }));
    }
    var unit = indicator.unit ? " " + indicator.unit : "";
    if (p.disembunyikan) {
      row(indicator.title, g.label("withheld"));
    } else if (meta.compare) {
      row(indicator.title + " " + meta.compare, number(p.nilai_awal, indicator.decimals) + unit);
      row(indicator.title + " " + meta.period, number(p.nilai_akhir, indicator.decimals) + unit);
      row(
        g.label("change", { from: meta.compare, to: meta.period }),
        (p.nilai > 0 ? "+" : "") + number(p.nilai, indicator.decimals) + unit
      );
    } else {
      row(indicator.title + " " + meta.period, number(p.nilai, indicator.decimals) + unit);
    }
    if (p.jumlah_desa > 1 && p.desa_berdata < p.jumlah_desa) {
      row("", g.label("incomplete", { n: p.desa_berdata, total: p.jumlah_desa }));
    }
    config.indicators.forEach(function (other) {
      if (other.code === indicator.code || !(other.code in p)) {
        return;
      }
      row(
        other.title,
        p[other.code] === null
          ? "–"
          : number(p[other.code], other.decimals) + (other.unit ? " " + other.unit : "")
      );
    });
    var counts = g.el("ul");
    g.layers.forEach(function (layer) {
      counts.appendChild(g.el("li", { text: layer.title + ": " + (p["jumlah_" + layer.id] || 0) }));
    });
    var parts = [
      g.el("strong", { text: p.nama + " (" + p.kode + ")" }),
      list,
      g.el("strong", { text: g.label("facilities") }),
      counts,
    ];
    return g.el("div", { class: "popup" }, parts.concat(profileParts(p.profil || {})));
  }

  // the kelurahan's verified profile per form: each field the page was handed (titles, units
  // and choice labels from config.profile_fields), its value as a text node
  function profileValue(spec, value) {
    if (value === null || value === undefined) {
      return "\u2013";
    }
    if (value === true || value === false) {
      return g.label(value ? "yes" : "no");
    }
    if (Array.isArray(value)) {
      return value
        .map(function (v) {
          return spec.choices[v] || v;
        })
        .join(", ");
    }
    if (typeof value === "number") {
      return number(value, 4) + (spec.unit ? " " + spec.unit : "");
    }
    return spec.choices[value] || String(value);
  }

  function profileParts(profiles) {
    var parts = [];
    (config.profile_fields || []).forEach(function (form) {
      var found = profiles[form.form];
      if (!found) {
        return;
      }
      var list = g.el("dl", { class: "profile-values", "data-form": form.form });
      form.fields.forEach(function (spec) {
        if (!(spec.name in found.nilai)) {
          return;
        }
        list.appendChild(g.el("dt", { text: spec.title }));
        list.appendChild(
          g.el("dd", { "data-field": spec.name, text: profileValue(spec, found.nilai[spec.name]) })
        );
      });
      parts.push(g.el("strong", { text: form.title + " \u00b7 " + found.periode }));
      if (form.sample) {
        parts.push(g.el("p", { class: "sample", text: g.label("sample_data") }));
      }
      parts.push(list);
    });
    return parts;
  }

  function legend(meta, indicator) {
    legendPanel.textContent = "";
    var title = meta.compare
      ? g.label("change", { from: meta.compare, to: meta.period })
      : meta.period;
    legendPanel.appendChild(g.el("h2", { text: indicator.title + " · " + title }));
    var list = g.el("ul", { class: "classes" });
    meta.legend.forEach(function (row) {
      list.appendChild(
        g.el("li", {}, [
          g.el("span", { class: "box", style: "background:" + row.color }),
          row.label + (meta.unit ? " " + meta.unit : "") + " (" + row.count + ")",
        ])
      );
    });
    list.appendChild(
      g.el("li", {}, [
        g.el("span", { class: "box", style: "background:" + meta.no_data_color }),
        meta.withheld ? g.label("no_data") + " / " + g.label("withheld") : g.label("no_data"),
      ])
    );
    legendPanel.appendChild(list);
    legendPanel.appendChild(
      g.el("p", { class: "meta", text: g.label("source") + ": " + meta.source })
    );
    if (meta.sample) {
      legendPanel.appendChild(g.el("p", { class: "sample", text: g.label("sample_data") }));
    }
  }

  function draw() {
    var indicator = byCode[field("indikator")];
    if (!indicator) {
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    status.textContent = g.label("loading");
    var path =
      (indicator.path || "indicators/" + indicator.code + "/choropleth") +
      "?" +
      query(indicator).toString();
    g.api("GET", path, { signal: pending.signal })
      .then(function (result) {
        if (result.status !== 200) {
          status.textContent = g.problemText(result);
          return;
        }
        status.textContent = "";
        lastBody = result.body;
        var meta = result.body.classification;
        group.clearLayers();
        var layer = L.geoJSON(result.body, {
          style: g.areaStyle,
          onEachFeature: function (feature, shape) {
            shape.bindPopup(function () {
              return popup(feature, indicator, meta);
            });
          },
        });
        group.addLayer(layer);
        if (!fitted && layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds());
          fitted = true;
        }
        legend(meta, indicator);
        history.replaceState(null, "", pageUrl());
        tableLink.href =
          config.base +
          "statistics?f=html&kode=" +
          encodeURIComponent(field("kode")) +
          "&period=" +
          encodeURIComponent(field("periode")) +
          "&lang=" +
          config.lang;
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          status.textContent = String(error);
        }
      });
  }

  function points() {
    // the points of the area, loaded once; each layer shows when ticked in the layer control
    g.layers.forEach(function (layer) {
      var path =
        "collections/" +
        layer.id +
        "/items?kode=" +
        encodeURIComponent(field("kode")) +
        "&limit=2000";
      g.api("GET", path, { anonymous: true }).then(function (result) {
        if (result.status !== 200) {
          return;
        }
        var target = groups[layer.id];
        target.clearLayers();
        result.body.features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          g.circle(layer, [c[1], c[0]]).bindPopup(g.popup(layer, feature)).addTo(target);
        });
      });
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "indikator" || event.target.name === "kode") {
      form.submit(); // another indicator or area: its own periods and extent
      return;
    }
    draw();
  });
  window.geoservicePlanner = {
    redraw: draw,
    last: function () {
      return lastBody;
    },
  };
  draw();
  points();
  g.ready("planner");
})();
