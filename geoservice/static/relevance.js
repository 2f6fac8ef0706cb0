// The show-if (`relevant`) conditions of a profile form, evaluated in the browser by the same
// rules as services/profiles/expressions.py: the server parses each condition once and hands
// the page its tree as JSON data; this walks the tree (no eval, no Function). Trees:
// ["const", v], ["ref", name], ["self"], ["neg", t], ["call", name, args...],
// ["op", operator, left, right]. An empty value is the empty text, as in XPath.
(function () {
  "use strict";
  var YES = ["yes", "ya", "true", "1"],
    NO = ["no", "tidak", "false", "0"];

  function isNumber(value) {
    return typeof value === "number";
  }

  function text(value) {
    if (value === null || value === undefined) {
      return "";
    }
    if (value === true || value === false) {
      return value ? "yes" : "no";
    }
    if (Array.isArray(value)) {
      return value.map(text).join(" ");
    }
    return String(value);
  }

  function number(value) {
    if (value === true || value === false) {
      return value ? 1 : 0;
    }
    if (isNumber(value)) {
      return value;
    }
    if (value === null || value === undefined || Array.isArray(value)) {
      return NaN;
    }
    var word = String(value).trim();
    // Python's float(): digits with an optional sign, point and exponent; nothing else
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(word)) {
      return NaN;
    }
    return Number(word);
  }

  function yesNo(value) {
    if (value === true || value === false) {
      return value;
    }
    var word = text(value).trim().toLowerCase();
    return YES.indexOf(word) >= 0 ? true : NO.indexOf(word) >= 0 ? false : null;
  }

  function truth(value) {
    if (value === true || value === false) {
      return value;
    }
    if (isNumber(value)) {
      return value !== 0 && !Number.isNaN(value);
    }
    return text(value) !== "";
  }

  function compare(op, left, right) {
    var equal;
    if (op === "=" || op === "!=") {
      if (isNumber(left) || isNumber(right)) {
        equal = number(left) === number(right); // NaN equals nothing
      } else if (typeof left === "boolean" || typeof right === "boolean") {
        equal = yesNo(left) !== null && yesNo(left) === yesNo(right);
      } else {
        equal = text(left) === text(right);
      }
      return op === "=" ? equal : !equal;
    }
    var x = number(left),
      y = number(right);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      return false;
    }
    return { "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y }[op];
  }

  function items(chosen) {
    if (Array.isArray(chosen)) {
      return chosen;
    }
    var words = text(chosen).trim();
    return words ? words.split(/\s+/) : [];
  }

  function value(tree, own, values) {
    var kind = tree[0];
    if (kind === "const") {
      return tree[1];
    }
    if (kind === "self") {
      return own;
    }
    if (kind === "ref") {
      return Object.hasOwn(values, tree[1]) ? values[tree[1]] : null;
    }
    if (kind === "neg") {
      return -number(value(tree[1], own, values));
    }
    if (kind === "call") {
      return call(tree[1], tree.slice(2), own, values);
    }
    var op = tree[1];
    if (op === "or") {
      return truth(value(tree[2], own, values)) || truth(value(tree[3], own, values));
    }
    if (op === "and") {
      return truth(value(tree[2], own, values)) && truth(value(tree[3], own, values));
    }
    var left = value(tree[2], own, values),
      right = value(tree[3], own, values);
    if (["=", "!=", "<", "<=", ">", ">="].indexOf(op) >= 0) {
      return compare(op, left, right);
    }
    var a = number(left),
      b = number(right);
    if (op === "+") {
      return a + b;
    }
    if (op === "-") {
      return a - b;
    }
    if (op === "*") {
      return a * b;
    }
    if (op === "div") {
      return b ? a / b : NaN;
    }
    return b ? a % b : NaN; // mod: the sign of the dividend, as math.fmod
  }

  function call(name, args, own, values) {
    var wanted;
    if (name === "not") {
      return !truth(value(args[0], own, values));
    }
    if (name === "selected") {
      wanted = text(value(args[1], own, values));
      return (
        items(value(args[0], own, values))
          .map(text)
          .indexOf(wanted) >= 0
      );
    }
    if (name === "count-selected") {
      return items(value(args[0], own, values)).length;
    }
    return text(value(args[0], own, values)).length; // string-length
  }

  window.geoserviceRelevance = {
    // true when the condition `tree` holds for `own` (the ".") and the other `values`
    holds: function (tree, own, values) {
      return truth(value(tree, own, values || {}));
    },
  };
})();
