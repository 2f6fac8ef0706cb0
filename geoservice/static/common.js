// Shared by the map pages: the page's configuration, calls to the OGC API with problem JSON
// read back, the layer markers and popups. Plain ES5-level JavaScript, no framework.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("geoservice-config").textContent);

  function label(key, params) {
    var text = config.labels[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(params[name]));
    });
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      }
      // through the CSSOM: the page's Content-Security-Policy refuses style attributes
      else if (name === "style") {
        node.style.cssText = value;
      } else if (name.slice(0, 2) === "on") {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : value);
      }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  // fetch with what the API needs: the page language, JSON, the session's CSRF token for
  // writes, If-Match when a version is known. Resolves to {status, body, headers}; rejects only
  // when the network fails.
  function api(method, path, options) {
    options = options || {};
    var headers = {
      Accept: "application/geo+json, application/json",
      "Accept-Language": config.lang,
    };
    if (options.body !== undefined) {
      headers["Content-Type"] = options.contentType || "application/json";
    }
    if (options.etag) {
      headers["If-Match"] = options.etag;
    }
    if (method !== "GET" && config.csrf) {
      headers["X-CSRF-Token"] = config.csrf;
    }
    return fetch(config.base + path, {
      method: method,
      headers: headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: options.anonymous ? "omit" : "same-origin",
      signal: options.signal,
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      var read = type.indexOf("json") >= 0 ? response.json() : Promise.resolve(null);
      return read.then(function (body) {
        return { status: response.status, body: body, headers: response.headers };
      });
    });
  }

  function style(layer) {
    return layer.style || { color: "#3388ff", fill_color: "#3388ff", radius: 6, fill_opacity: 0.8 };
  }

  // a round marker in the layer's colours; its ring shows the verification status (an
  // element, not markup: nothing of the layer file is ever parsed as HTML)
  function icon(layer, status, selected) {
    var s = style(layer);
    var size = Math.max(18, s.radius * 3);
    var dot = el("span", { class: "pt " + (status || "") + (selected ? " selected" : "") });
    dot.style.background = s.fill_color;
    dot.style.borderColor = s.color;
    return L.divIcon({
      className: "pt-icon",
      html: dot,
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
  }

  // a tooltip's content as a text node: Leaflet would parse a string as HTML
  function tip(text) {
    return el("span", { text: String(text) });
  }

  // an area of a choropleth: filled with the colour of its class (the server's ``warna``)
  function areaStyle(feature) {
    return {
      color: "#495057",
      weight: 1,
      fillColor: feature.properties.warna,
      fillOpacity: 0.75,
    };
  }

  // the page's own script has run to its end (the browser tests wait for this mark)
  function ready(name) {
    document.documentElement.setAttribute("data-script-ready", name);
  }

  function circle(layer, latlng) {
    var s = style(layer);
    return L.circleMarker(latlng, {
      radius: s.radius + 1,
      color: s.color,
      fillColor: s.fill_color,
      fillOpacity: s.fill_opacity,
      weight: 2,
    });
  }

  // the feature's attributes under their titles, in the layer's order; text only, never HTML
  function popup(layer, feature) {
    var p = feature.properties || {};
    var list = el("dl");
    layer.attributes.forEach(function (attribute) {
      var value = p[attribute.name];
      if (value === null || value === undefined || value === "") {
        return;
      }
      list.appendChild(el("dt", { text: attribute.title }));
      list.appendChild(el("dd", { text: String(value) }));
    });
    return el("div", { class: "popup" }, [el("strong", { text: layer.title }), list]);
  }

  function problemText(result) {
    var body = result.body || {};
    return body.detail || body.title || "HTTP " + result.status;
  }

  // The map page's Leaflet objects, handed over by the script the service writes after
  // folium's (maps.py): the map, the feature group of each layer by layer id, and the page's
  // other parts by role. Once: nothing on the page may swap them afterwards.
  function register(objects) {
    if (geoservice.map) {
      throw new Error("the map page's objects are already registered");
    }
    geoservice.map = objects.map;
    geoservice.groups = objects.groups || {};
    geoservice.parts = objects.parts || {};
    // Leaflet's layer control is titled "Layers" in English: name it in the page's language
    var toggle = objects.map.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) {
      toggle.title = label("layer_control");
      toggle.setAttribute("aria-label", label("layer_control"));
    }
  }

  var geoservice = {
    config: config,
    map: null,
    groups: {},
    parts: {},
    register: register,
    label: label,
    el: el,
    api: api,
    icon: icon,
    circle: circle,
    popup: popup,
    tip: tip,
    areaStyle: areaStyle,
    ready: ready,
    problemText: problemText,
    layers: config.layers || [],
  };
  window.geoservice = geoservice;
})();
