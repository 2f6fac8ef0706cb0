// The raster overlay of the map pages (/map, /planner): a Leaflet tile layer of one of the
// service's rasters (PNG tiles from /rasters/{id}/tiles/..., our own URL), an opacity slider
// and the raster's legend (/rasters/{id}/legend). Every text is a text node; the colours of
// the legend come from the service's declarations (#rrggbb) and are set through the CSSOM.
(function () {
  "use strict";
  var g = window.geoservice,
    map = g.map,
    overlay = g.config.rasters;
  if (!map || !overlay || !overlay.list.length) {
    return;
  }
  var labels = overlay.labels,
    layer = null,
    opacity = 0.7,
    legend,
    select,
    slider;
  // above the choropleth and the boundaries (the overlay pane, 400), below the markers (600),
  // letting clicks through to the areas beneath: the slider decides how much of each shows
  var pane = map.createPane("rasters");
  pane.style.zIndex = "450";
  pane.style.pointerEvents = "none";
  var byId = {};
  overlay.list.forEach(function (raster) {
    byId[raster.id] = raster;
  });

  function showLegend(raster) {
    legend.textContent = "";
    if (!raster) {
      return;
    }
    fetch(raster.legend, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (body) {
        if (select.value !== raster.id) {
          return; // another raster was chosen meanwhile
        }
        legend.appendChild(g.el("p", { class: "raster-unit", text: body.unit }));
        var list = g.el("ul", { class: "raster-classes" });
        var items = body.type === "classes" ? body.classes : body.stops;
        items.forEach(function (item) {
          var text = body.type === "classes" ? item.label : formatNumber(item.value);
          list.appendChild(
            g.el("li", {}, [
              g.el("span", { class: "raster-box", style: "background-color:" + item.color }),
              text,
            ])
          );
        });
        legend.appendChild(list);
        if (body.sample) {
          legend.appendChild(g.el("p", { class: "sample", text: body.note || labels.sample }));
        }
      })
      .catch(function () {
        legend.appendChild(g.el("p", { class: "error", text: labels.no_legend }));
      });
  }

  function formatNumber(value) {
    return Number(value).toLocaleString(g.config.lang === "en" ? "en" : "id-ID", {
      maximumFractionDigits: 1,
    });
  }

  function choose(id) {
    if (layer) {
      map.removeLayer(layer);
      layer = null;
    }
    var raster = byId[id];
    slider.disabled = !raster;
    if (raster) {
      layer = L.tileLayer(raster.tiles, {
        opacity: opacity,
        maxZoom: 19,
        attribution: raster.attribution,
        className: "raster-overlay",
        pane: "rasters",
      });
      layer.addTo(map);
    }
    showLegend(raster);
    document.documentElement.setAttribute("data-raster", id || "");
  }

  var control = L.control({ position: "bottomleft" });
  control.onAdd = function () {
    var options = [g.el("option", { value: "", text: labels.none })];
    overlay.list.forEach(function (raster) {
      options.push(g.el("option", { value: raster.id, text: raster.title }));
    });
    select = g.el("select", { id: "raster-choice" }, options);
    slider = g.el("input", {
      id: "raster-opacity",
      type: "range",
      min: "0",
      max: "100",
      step: "5",
      value: String(opacity * 100),
      disabled: true,
    });
    legend = g.el("div", { id: "raster-legend", class: "raster-legend", "aria-live": "polite" });
    var box = g.el("details", { class: "legend raster-panel", open: window.innerWidth > 700 }, [
      g.el("summary", { text: labels.title }),
      g.el("label", { for: "raster-choice", class: "visually-hidden", text: labels.title }),
      select,
      g.el("label", { for: "raster-opacity", text: labels.opacity }),
      slider,
      legend,
    ]);
    select.addEventListener("change", function () {
      choose(select.value);
    });
    slider.addEventListener("input", function () {
      opacity = Number(slider.value) / 100;
      if (layer) {
        layer.setOpacity(opacity);
      }
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  control.addTo(map);
  g.rasterOverlay = { choose: choose };
})();
