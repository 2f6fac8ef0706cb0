// The small map of the HTML pages: the page's GeoJSON (embedded in the page) or the
// collection's extent, over a basemap that may fail to load without breaking the map.
(function () {
  "use strict";
  // a tooltip's content as an element: Leaflet would parse a string as HTML
  function textNode(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  var element = document.getElementById("map");
  if (!element || !window.L) {
    document.documentElement.setAttribute("data-script-ready", "page");
    return;
  }
  var map = L.map(element, { zoomSnap: 0.5 });
  if (element.dataset.basemap) {
    L.tileLayer(element.dataset.basemap, { maxZoom: 19, attribution: element.dataset.note }).addTo(
      map
    );
  }
  var data = document.getElementById("features");
  var bounds = null,
    layer,
    b;
  if (data) {
    layer = L.geoJSON(JSON.parse(data.textContent), {
      pointToLayer: function (_feature, latlng) {
        return L.circleMarker(latlng, { radius: 6, color: "#1c7ed6", weight: 2, fillOpacity: 0.7 });
      },
      style: function () {
        return { color: "#1c7ed6", weight: 2, fillOpacity: 0.15 };
      },
      onEachFeature: function (feature, item) {
        var p = feature.properties || {};
        var label = p.nama || p.kode || feature.id;
        if (label !== undefined && label !== null) {
          item.bindTooltip(textNode(String(label)));
        }
      },
    }).addTo(map);
    if (layer.getLayers().length) {
      bounds = layer.getBounds();
    }
  } else if (element.dataset.bbox) {
    b = JSON.parse(element.dataset.bbox);
    bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    L.rectangle(bounds, { color: "#1c7ed6", weight: 2, fillOpacity: 0.05 }).addTo(map);
  }
  if (bounds) {
    map.fitBounds(bounds, { maxZoom: 16, padding: [10, 10] });
  } else {
    map.setView([-2.5, 118], 4);
  }
  document.documentElement.setAttribute("data-script-ready", "page");
})();
