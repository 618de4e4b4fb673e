// The social media composer's helpers: each text's count while typing, counted as its network counts, and only
// the texts of the chosen accounts shown. Progressive enhancement only: without this file the server shows the
// count when the page loads and refuses a text that is too long.
(function () {
  'use strict';

  var form = document.querySelector('form[data-social-composer]');
  if (!form) return;

  var segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter('da', { granularity: 'grapheme' }) : null;

  function graphemes(text) {
    if (!segmenter) return Array.from(text);
    return Array.from(segmenter.segment(text), function (s) { return s.segment; });
  }

  // ---- X: a copy of src/social/providers/x-text.ts (twitter-text's weighted length). Keep the two in sync. ----

  var X_URL_WEIGHT = 23;
  var X_LIGHT_RANGES = [[0x0000, 0x10ff], [0x2000, 0x200d], [0x2010, 0x201f], [0x2032, 0x2037]];
  var X_TLDS = 'dk|com|org|net|eu|info|io|gov|edu|de|se|no|nu|fo|gl|is|fi|uk|co|me|tv|app|dev|nl|fr|be';
  var X_URL = new RegExp(
    '(?:https?:\\/\\/[^\\s]+|\\bwww\\.[^\\s]+|(?<![@\\p{L}\\p{N}_.\\/-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?\\.)+(?:' +
      X_TLDS +
      ')(?![\\p{L}\\p{N}-])(?:[\\/?#][^\\s]*)?)',
    'giu'
  );
  var X_TRAILING = /[.,:;!?'")\]}»”’]+$/u;
  var EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

  function xWeightOfText(text) {
    var weight = 0;
    graphemes(text).forEach(function (segment) {
      if (EMOJI.test(segment)) {
        weight += 2;
        return;
      }
      Array.from(segment).forEach(function (ch) {
        var code = ch.codePointAt(0);
        var light = X_LIGHT_RANGES.some(function (r) { return code >= r[0] && code <= r[1]; });
        weight += light ? 1 : 2;
      });
    });
    return weight;
  }

  function xLength(text) {
    var normal = text.normalize('NFC');
    var weight = 0;
    var last = 0;
    var match;
    X_URL.lastIndex = 0;
    while ((match = X_URL.exec(normal)) !== null) {
      var url = match[0].replace(X_TRAILING, '');
      if (!url) continue;
      weight += xWeightOfText(normal.slice(last, match.index)) + X_URL_WEIGHT;
      last = match.index + url.length;
    }
    return weight + xWeightOfText(normal.slice(last));
  }

  // ---- Mastodon: a copy of countMastodonText in src/social/providers/mastodon.ts. ----

  var MASTODON_URL = /https?:\/\/[^\s<>"]+/gu;

  function trimUrl(url) {
    var out = url.replace(/[.,;:!?'"]+$/u, '');
    var count = function (s, re) { return (s.match(re) || []).length; };
    while (out.charAt(out.length - 1) === ')' && count(out, /\(/g) < count(out, /\)/g)) out = out.slice(0, -1);
    return out;
  }

  function mastodonLength(text) {
    var links = text.replace(MASTODON_URL, function (m) { return new Array(24).join('x') + m.slice(trimUrl(m).length); });
    return graphemes(links.replace(/(^|[^\w/])@(\w+)@[\w.-]+\w/gu, '$1@$2')).length;
  }

  var COUNTERS = {
    x: xLength,
    mastodon: mastodonLength,
    // Bluesky counts graphemes (RichText.graphemeLength); Facebook counts characters.
    bluesky: function (text) { return graphemes(text).length; },
    facebook: function (text) { return Array.from(text).length; }
  };

  // ---- the text as it goes out: a copy of finalText in src/social/post-text.ts ----

  var linkField = form.querySelector('#f-link');

  function currentLink() {
    var link = linkField ? linkField.value.trim() : '';
    return /^https?:\/\/\S+$/.test(link) ? link : null;
  }

  function finalText(network, text, link) {
    var body = text.trim();
    if (!link || network === 'facebook' || body.indexOf(link) !== -1) return body;
    return body + '\n\n' + link;
  }

  // ---- the counts ----

  var announcers = new WeakMap();

  function showCount(textarea) {
    var group = textarea.closest('[data-account-text]');
    var out = group && group.querySelector('[data-count]');
    if (!out) return;
    var network = textarea.getAttribute('data-network');
    var max = Number(textarea.getAttribute('data-max'));
    var counter = COUNTERS[network] || COUNTERS.facebook;
    var length = counter(finalText(network, textarea.value, currentLink()));
    var message = length + ' af ' + max + ' tegn' + (length > max ? ' – ' + (length - max) + ' for mange' : '');
    if (out.textContent === message) return;
    out.textContent = message;
    out.classList.toggle('limit-exceeded', length > max);
    // Screen readers hear the count once the person pauses, not at every key.
    var live = group.querySelector('[data-count-live]');
    clearTimeout(announcers.get(textarea));
    announcers.set(textarea, setTimeout(function () {
      if (live) live.textContent = message;
    }, 1000));
  }

  var textareas = Array.prototype.slice.call(form.querySelectorAll('textarea[data-network]'));
  textareas.forEach(function (t) {
    t.addEventListener('input', function () { showCount(t); });
  });
  if (linkField) linkField.addEventListener('input', function () { textareas.forEach(showCount); });

  // ---- only the chosen accounts' texts ----

  function showChosen() {
    form.querySelectorAll('input[data-account]').forEach(function (box) {
      var group = form.querySelector('[data-account-text="' + box.value + '"]');
      // A text with an error stays in sight, so the message is never hidden.
      if (group) group.hidden = !box.checked && !group.classList.contains('form-error');
    });
  }
  form.querySelectorAll('input[data-account]').forEach(function (box) {
    box.addEventListener('change', showChosen);
  });
  showChosen();
})();
